using System;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class AssessmentsAndRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assessment_rounds",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    year = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    criteria_set_version_id = table.Column<int>(type: "integer", nullable: false),
                    province_unit_id = table.Column<int>(type: "integer", nullable: false),
                    level_code = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    entry_deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    review_deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    council_deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    has_district_tier = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    closed_reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_rounds", x => x.id);
                    table.ForeignKey(
                        name: "FK_assessment_rounds_criteria_set_versions_criteria_set_versio~",
                        column: x => x.criteria_set_version_id,
                        principalTable: "criteria_set_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assessment_rounds_units_province_unit_id",
                        column: x => x.province_unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessments",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    round_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    target_level = table.Column<int>(type: "integer", nullable: true),
                    submitted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    submitted_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    submission_key = table.Column<Guid>(type: "uuid", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessments", x => x.id);
                    table.ForeignKey(
                        name: "FK_assessments_assessment_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "assessment_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_assessments_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "assessment_values",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    address = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "jsonb", nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    updated_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assessment_values", x => x.id);
                    table.ForeignKey(
                        name: "FK_assessment_values_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "criterion_assignments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    criterion_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    department = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_criterion_assignments", x => x.id);
                    table.ForeignKey(
                        name: "FK_criterion_assignments_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "evidence_files",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    criterion_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    storage_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    file_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    doc_number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    issued_on = table.Column<DateOnly>(type: "date", nullable: true),
                    issuer = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    summary = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    deleted_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_evidence_files", x => x.id);
                    table.CheckConstraint("ck_evidence_files_kind", "(kind = 'File' AND storage_key IS NOT NULL AND sha256 IS NOT NULL) OR (kind = 'Link' AND url IS NOT NULL)");
                    table.ForeignKey(
                        name: "FK_evidence_files_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_evidence_files_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_rounds_criteria_set_version_id",
                table: "assessment_rounds",
                column: "criteria_set_version_id");

            migrationBuilder.CreateIndex(
                name: "IX_assessment_rounds_province_unit_id_year_level_code",
                table: "assessment_rounds",
                columns: new[] { "province_unit_id", "year", "level_code" });

            migrationBuilder.CreateIndex(
                name: "IX_assessment_values_assessment_id_address",
                table: "assessment_values",
                columns: new[] { "assessment_id", "address" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessment_values_unit_id",
                table: "assessment_values",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_assessments_round_id_unit_id",
                table: "assessments",
                columns: new[] { "round_id", "unit_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessments_submission_key",
                table: "assessments",
                column: "submission_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_assessments_unit_id",
                table: "assessments",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_criterion_assignments_assessment_id_criterion_code",
                table: "criterion_assignments",
                columns: new[] { "assessment_id", "criterion_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_criterion_assignments_unit_id",
                table: "criterion_assignments",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_evidence_files_assessment_id_criterion_code",
                table: "evidence_files",
                columns: new[] { "assessment_id", "criterion_code" });

            migrationBuilder.CreateIndex(
                name: "IX_evidence_files_sha256",
                table: "evidence_files",
                column: "sha256");

            migrationBuilder.CreateIndex(
                name: "IX_evidence_files_unit_id",
                table: "evidence_files",
                column: "unit_id");

            // Tenancy (ADR-006): the unit-owned tables get forced row-level security. evidence_files (the evidence module,
            // built in parallel) was in the model when this migration was generated, so its policy is added here too.
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("assessments"));
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("assessment_values"));
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("criterion_assignments"));
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("evidence_files"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assessment_values");

            migrationBuilder.DropTable(
                name: "criterion_assignments");

            migrationBuilder.DropTable(
                name: "evidence_files");

            migrationBuilder.DropTable(
                name: "assessments");

            migrationBuilder.DropTable(
                name: "assessment_rounds");
        }
    }
}
