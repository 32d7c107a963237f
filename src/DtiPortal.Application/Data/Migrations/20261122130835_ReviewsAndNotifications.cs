using DtiPortal.Application.Tenancy;
using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReviewsAndNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "approved_at",
                table: "assessments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "assessments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "recognised_level",
                table: "assessments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "recognised_total",
                table: "assessments",
                type: "numeric(12,4)",
                precision: 12,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reopen_reason",
                table: "assessments",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reopened_criterion",
                table: "assessments",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "return_reason",
                table: "assessments",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "returned_criteria",
                table: "assessments",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<int>(
                name: "review_cycle",
                table: "assessments",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "last_document_number",
                table: "assessment_rounds",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "assessment_rounds",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "published_by",
                table: "assessment_rounds",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "council_assignments",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    round_id = table.Column<int>(type: "integer", nullable: false),
                    criterion_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_council_assignments", x => x.id);
                    table.ForeignKey(
                        name: "FK_council_assignments_assessment_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "assessment_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "council_votes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    cycle = table.Column<int>(type: "integer", nullable: false),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    role_name = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    agrees = table.Column<bool>(type: "boolean", nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_council_votes", x => x.id);
                    table.ForeignKey(
                        name: "FK_council_votes_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "criterion_appraisals",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    criterion_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    tier = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    verdict = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    corrected_values = table.Column<string>(type: "jsonb", nullable: true),
                    corrected_points = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    cycle = table.Column<int>(type: "integer", nullable: false),
                    reviewed_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    reviewed_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    reviewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_criterion_appraisals", x => x.id);
                    table.ForeignKey(
                        name: "FK_criterion_appraisals_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "email_outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    notification_id = table.Column<long>(type: "bigint", nullable: true),
                    to_address = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    to_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_email_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    link = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    assessment_id = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    dedup_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.id);
                    table.ForeignKey(
                        name: "FK_notifications_AspNetUsers_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recognised_results",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    snapshot_id = table.Column<Guid>(type: "uuid", nullable: false),
                    self_total = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    appraised_total = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    total = table.Column<decimal>(type: "numeric(12,4)", precision: 12, scale: 4, nullable: false),
                    self_level = table.Column<int>(type: "integer", nullable: true),
                    level = table.Column<int>(type: "integer", nullable: true),
                    result = table.Column<string>(type: "jsonb", nullable: false),
                    document_number = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    approved_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    approved_by_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    minutes_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    decision_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    documents_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recognised_results", x => x.id);
                    table.ForeignKey(
                        name: "FK_recognised_results_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "review_comments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    criterion_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    text = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    cycle = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    author_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    author_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    author_role = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_review_comments", x => x.id);
                    table.ForeignKey(
                        name: "FK_review_comments_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "score_snapshots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    round_id = table.Column<int>(type: "integer", nullable: false),
                    taken_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    unit_count = table.Column<int>(type: "integer", nullable: false),
                    cohort = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_score_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "FK_score_snapshots_assessment_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "assessment_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "workflow_steps",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    unit_id = table.Column<int>(type: "integer", nullable: false),
                    assessment_id = table.Column<int>(type: "integer", nullable: false),
                    action = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    from_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    to_status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    reason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    criterion_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    cycle = table.Column<int>(type: "integer", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    actor_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    values_snapshot = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workflow_steps", x => x.id);
                    table.ForeignKey(
                        name: "FK_workflow_steps_assessments_assessment_id",
                        column: x => x.assessment_id,
                        principalTable: "assessments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_council_assignments_round_id_criterion_code",
                table: "council_assignments",
                columns: new[] { "round_id", "criterion_code" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_votes_assessment_id_cycle_user_id",
                table: "council_votes",
                columns: new[] { "assessment_id", "cycle", "user_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_council_votes_unit_id",
                table: "council_votes",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_criterion_appraisals_assessment_id_criterion_code_tier",
                table: "criterion_appraisals",
                columns: new[] { "assessment_id", "criterion_code", "tier" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_criterion_appraisals_unit_id",
                table: "criterion_appraisals",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_email_outbox_sent_at_next_attempt_at",
                table: "email_outbox",
                columns: new[] { "sent_at", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_dedup_key",
                table: "notifications",
                column: "dedup_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notifications_user_id_created_at",
                table: "notifications",
                columns: new[] { "user_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_recognised_results_assessment_id_version",
                table: "recognised_results",
                columns: new[] { "assessment_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recognised_results_unit_id",
                table: "recognised_results",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_review_comments_assessment_id_criterion_code",
                table: "review_comments",
                columns: new[] { "assessment_id", "criterion_code" });

            migrationBuilder.CreateIndex(
                name: "IX_review_comments_unit_id",
                table: "review_comments",
                column: "unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_score_snapshots_round_id",
                table: "score_snapshots",
                column: "round_id");

            migrationBuilder.CreateIndex(
                name: "IX_workflow_steps_assessment_id_at",
                table: "workflow_steps",
                columns: new[] { "assessment_id", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_workflow_steps_unit_id",
                table: "workflow_steps",
                column: "unit_id");

            // Unit-owned tables: row-level security as dti_app (ADR-006).
            foreach (var table in new[] { "criterion_appraisals", "review_comments", "workflow_steps", "council_votes", "recognised_results" })
                migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity(table));
            // Assessments submitted before this migration are in their first review cycle.
            migrationBuilder.Sql("UPDATE assessments SET review_cycle = 1 WHERE status <> 'Draft' AND review_cycle = 0;");
            // The defaults only filled the existing rows; the model has none (the drift test compares the two).
            migrationBuilder.Sql("""
                ALTER TABLE assessments ALTER COLUMN returned_criteria DROP DEFAULT;
                ALTER TABLE assessments ALTER COLUMN review_cycle DROP DEFAULT;
                ALTER TABLE assessment_rounds ALTER COLUMN last_document_number DROP DEFAULT;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "council_assignments");

            migrationBuilder.DropTable(
                name: "council_votes");

            migrationBuilder.DropTable(
                name: "criterion_appraisals");

            migrationBuilder.DropTable(
                name: "email_outbox");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropTable(
                name: "recognised_results");

            migrationBuilder.DropTable(
                name: "review_comments");

            migrationBuilder.DropTable(
                name: "score_snapshots");

            migrationBuilder.DropTable(
                name: "workflow_steps");

            migrationBuilder.DropColumn(
                name: "approved_at",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "recognised_level",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "recognised_total",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "reopen_reason",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "reopened_criterion",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "return_reason",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "returned_criteria",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "review_cycle",
                table: "assessments");

            migrationBuilder.DropColumn(
                name: "last_document_number",
                table: "assessment_rounds");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "assessment_rounds");

            migrationBuilder.DropColumn(
                name: "published_by",
                table: "assessment_rounds");
        }
    }
}
