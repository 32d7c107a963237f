using System;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeadlineRules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "late_days",
                table: "assessments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "returned_at",
                table: "assessments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "allow_late_submission",
                table: "assessment_rounds",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "resubmit_days",
                table: "assessment_rounds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "deadline_extensions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    new_deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    granted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    granted_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    granted_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_deadline_extensions", x => x.id);
                    table.ForeignKey(
                        name: "FK_deadline_extensions_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_deadline_extensions_assessment_id",
                table: "deadline_extensions",
                column: "assessment_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_deadline_extensions_unit_id",
                table: "deadline_extensions",
                column: "unit_id");

            // Unit-owned: row-level security as dti_app (ADR-006).
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("deadline_extensions"));
            // Rounds created before keep the default window after a return; the column's default only filled them.
            migrationBuilder.Sql("UPDATE assessment_rounds SET resubmit_days = 10;");
            migrationBuilder.Sql("ALTER TABLE assessment_rounds ALTER COLUMN resubmit_days DROP DEFAULT;");
            migrationBuilder.Sql("ALTER TABLE assessment_rounds ALTER COLUMN allow_late_submission DROP DEFAULT;");
            // An assessment returned before this migration starts its resubmission window at its last return.
            migrationBuilder.Sql("""
                UPDATE assessments a SET returned_at = (
                    SELECT max(s.at) FROM workflow_steps s WHERE s.assessment_id = a.id AND s.to_status = 'Returned')
                WHERE a.status = 'Returned';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "deadline_extensions");

            migrationBuilder.DropColumn(
                name: "late_days",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "returned_at",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "allow_late_submission",
                table: "assessment_rounds");

            migrationBuilder.DropColumn(
                name: "resubmit_days",
                table: "assessment_rounds");
        }
    }
}
