using System;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class TenancyAndAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.SerialColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    user_name = table.Column<string>(type: "text", nullable: true),
                    origin = table.Column<string>(type: "text", nullable: true),
                    action = table.Column<string>(type: "text", nullable: false),
                    entity_type = table.Column<string>(type: "text", nullable: true),
                    entity_id = table.Column<string>(type: "text", nullable: true),
                    unit_id = table.Column<int>(type: "integer", nullable: true),
                    before = table.Column<string>(type: "jsonb", nullable: true),
                    after = table.Column<string>(type: "jsonb", nullable: true),
                    detail = table.Column<string>(type: "text", nullable: true),
                    success = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "unit_contacts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    full_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    organization = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    position = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    phone = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    email = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_unit_contacts", x => x.id);
                    table.ForeignKey(
                        name: "FK_unit_contacts_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_at",
                table: "audit_log",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_entity_type_entity_id",
                table: "audit_log",
                columns: new[] { "entity_type", "entity_id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_unit_id_at",
                table: "audit_log",
                columns: new[] { "unit_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_user_id_at",
                table: "audit_log",
                columns: new[] { "user_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_unit_contacts_unit_id_role",
                table: "unit_contacts",
                columns: new[] { "unit_id", "role" },
                unique: true);
            // ADR-006: the application role, the scope functions the policies read, grants, row-level security, and an
            // append-only audit trail. Raw SQL: EF does not model roles, policies or triggers (the drift test compares
            // only what EF sees).
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dti_app') THEN
                        BEGIN
                            CREATE ROLE dti_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
                        EXCEPTION
                            WHEN duplicate_object OR unique_violation THEN NULL; -- created meanwhile by another database's migration
                            WHEN insufficient_privilege THEN
                                RAISE EXCEPTION 'Role dti_app does not exist and % may not create it: an operator must create it first (docs/decisions/ADR-006-tenancy.md)', current_user;
                        END;
                    END IF;
                END $$;

                -- The caller's scope, written per connection by TenancyConnectionInterceptor. Missing or empty → no units (fail closed).
                CREATE OR REPLACE FUNCTION dti_scope_units() RETURNS integer[] LANGUAGE sql STABLE PARALLEL SAFE AS
                $$ SELECT coalesce(nullif(current_setting('dti.scope_units', true), '')::integer[], '{}'::integer[]) $$;
                CREATE OR REPLACE FUNCTION dti_scope_unrestricted() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS
                $$ SELECT coalesce(current_setting('dti.scope_all', true), '') = 'true' $$;

                GRANT USAGE ON SCHEMA public TO dti_app;
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO dti_app;
                GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO dti_app;
                GRANT EXECUTE ON FUNCTION dti_scope_units(), dti_scope_unrestricted() TO dti_app;
                -- Tables and sequences that later migrations create (as this same owner) get the same grants.
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO dti_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO dti_app;
                -- The app reads the migration history (health check) and never writes it.
                REVOKE INSERT, UPDATE, DELETE ON __ef_migrations FROM dti_app;

                -- The audit trail: the app may add entries about any unit and read those about its units; nobody changes them.
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM dti_app;
                CREATE OR REPLACE FUNCTION dti_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_log is append-only: % is not allowed / nhật ký chỉ được ghi thêm, không được sửa hoặc xoá', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
                    FOR EACH ROW EXECUTE FUNCTION dti_audit_log_append_only();
                CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                    FOR EACH STATEMENT EXECUTE FUNCTION dti_audit_log_append_only();
                ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
                ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
                CREATE POLICY audit_read ON audit_log FOR SELECT
                    USING (unit_id = ANY (dti_scope_units()) OR dti_scope_unrestricted());
                CREATE POLICY audit_append ON audit_log FOR INSERT WITH CHECK (true);
                """);

            // The first unit-owned table. Every later one adds this line to its migration.
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("unit_contacts"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "unit_contacts");
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS dti_audit_log_append_only();
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM dti_app;
                ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM dti_app;
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM dti_app;
                REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM dti_app;
                DROP FUNCTION IF EXISTS dti_scope_units();
                DROP FUNCTION IF EXISTS dti_scope_unrestricted();
                -- The role dti_app is shared by the cluster's databases: an operator drops it when no database uses it.
                """);
        }
    }
}
