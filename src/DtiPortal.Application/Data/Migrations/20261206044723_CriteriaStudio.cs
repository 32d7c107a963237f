using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class CriteriaStudio : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "decision_document_key",
                table: "criteria_set_versions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "decision_document_name",
                table: "criteria_set_versions",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "owner_unit_id",
                table: "criteria_set_versions",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "criteria_set_drafts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: true),
                    yaml = table.Column<string>(type: "text", nullable: false),
                    origin = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    set_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    name = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    revision = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    decision_document_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    decision_document_name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_criteria_set_drafts", x => x.id);
                    table.ForeignKey(
                        name: "FK_criteria_set_drafts_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_criteria_set_versions_owner_unit_id",
                table: "criteria_set_versions",
                column: "owner_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_criteria_set_drafts_unit_id",
                table: "criteria_set_drafts",
                column: "unit_id");

            migrationBuilder.AddForeignKey(
                name: "FK_criteria_set_versions_units_owner_unit_id",
                table: "criteria_set_versions",
                column: "owner_unit_id",
                principalTable: "units",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Drafts belong to a province (or, with no unit, to the nation: unrestricted scopes only), ADR-006.
            migrationBuilder.Sql(DtiPortal.Application.Tenancy.TenancySql.EnableRowLevelSecurity("criteria_set_drafts"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_criteria_set_versions_units_owner_unit_id",
                table: "criteria_set_versions");

            migrationBuilder.DropTable(
                name: "criteria_set_drafts");

            migrationBuilder.DropIndex(
                name: "IX_criteria_set_versions_owner_unit_id",
                table: "criteria_set_versions");

            migrationBuilder.DropColumn(
                name: "decision_document_key",
                table: "criteria_set_versions");

            migrationBuilder.DropColumn(
                name: "decision_document_name",
                table: "criteria_set_versions");

            migrationBuilder.DropColumn(
                name: "owner_unit_id",
                table: "criteria_set_versions");
        }
    }
}
