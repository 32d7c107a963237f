using System;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class RuleExplanations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rule_explanations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    rule_code = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    detail = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    updated_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rule_explanations", x => x.id);
                    table.ForeignKey(
                        name: "FK_rule_explanations_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_rule_explanations_assessment_id_rule_code",
                table: "rule_explanations",
                columns: new[] { "assessment_id", "rule_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_rule_explanations_unit_id",
                table: "rule_explanations",
                column: "unit_id");

            // A unit-owned table: row-level security as dti_app (ADR-006).
            migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("rule_explanations"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rule_explanations");
        }
    }
}
