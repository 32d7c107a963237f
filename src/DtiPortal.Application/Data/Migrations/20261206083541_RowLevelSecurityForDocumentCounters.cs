using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DtiPortal.Application.Data.Migrations
{
    /// <summary>
    /// Issue 16 §2 (ADR-006) for the table issue 15 added: a round's register of minutes numbers is read and advanced only by
    /// scopes that touch the round's province, like its frozen cohorts and council assignments. No model change.
    /// </summary>
    public partial class RowLevelSecurityForDocumentCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(TenancySql.EnableRoundRowSecurity("document_counters"));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(TenancySql.DisableRowLevelSecurity("document_counters"));
    }
}
