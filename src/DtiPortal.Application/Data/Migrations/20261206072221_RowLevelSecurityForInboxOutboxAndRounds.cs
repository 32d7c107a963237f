using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <summary>
    /// Issue 16 §2 (ADR-006): the four tables without a unit column come under forced row-level security — a user's inbox
    /// by user id (a third session setting, <c>dti.scope_user</c>), the e-mail outbox for the system only, a round's frozen
    /// cohorts and council assignments by the round's province. No model change: raw SQL only.
    /// </summary>
    public partial class RowLevelSecurityForInboxOutboxAndRounds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TenancySql.ScopeUserAndRoundFunctions);
            migrationBuilder.Sql(TenancySql.EnableUserRowSecurity("notifications"));
            migrationBuilder.Sql(TenancySql.EnableSystemRowSecurity("email_outbox"));
            migrationBuilder.Sql(TenancySql.EnableRoundRowSecurity("score_snapshots"));
            migrationBuilder.Sql(TenancySql.EnableRoundRowSecurity("council_assignments"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "notifications", "email_outbox", "score_snapshots", "council_assignments" })
                migrationBuilder.Sql(TenancySql.DisableRowLevelSecurity(table));
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS dti_scope_rounds();
                DROP FUNCTION IF EXISTS dti_scope_user();
                """);
        }
    }
}
