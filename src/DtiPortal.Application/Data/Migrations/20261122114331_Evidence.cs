using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class Evidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_evidence_files_assessments_assessment_id",
                table: "evidence_files");

            migrationBuilder.AddForeignKey(
                name: "FK_evidence_files_assessments_assessment_id",
                table: "evidence_files",
                column: "assessment_id",
                principalTable: "assessments",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            // The table itself was created by AssessmentsAndRounds (generated while this module's model was already in the tree).
            // Row-level security again here, idempotently, so the evidence module's own migration states its tenancy (ADR-006).
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("evidence_files"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_evidence_files_assessments_assessment_id",
                table: "evidence_files");

            migrationBuilder.AddForeignKey(
                name: "FK_evidence_files_assessments_assessment_id",
                table: "evidence_files",
                column: "assessment_id",
                principalTable: "assessments",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
