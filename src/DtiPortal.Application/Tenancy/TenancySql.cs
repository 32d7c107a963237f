namespace DtiPortal.Application.Tenancy;

/// <summary>
/// The SQL of row-level security (ADR-006), for migrations (<c>migrationBuilder.Sql(...)</c>). Kept in code so a
/// later migration that adds a unit-owned table writes one line: <c>migrationBuilder.Sql(TenancySql.EnableRowLevelSecurity("table"))</c>.
/// Migrations are history: once applied, never change the text a migration used; add a new one.
/// </summary>
public static class TenancySql
{
    /// <summary>The role the application's connections run as (<c>SET ROLE</c>); configuration Database:AppRole.</summary>
    public const string AppRole = "dti_app";

    /// <summary>Enables and forces RLS on a unit-owned table with one policy for every command: the row's unit must be in scope.</summary>
    public static string EnableRowLevelSecurity(string table, string unitColumn = "unit_id") => $"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenancy ON {table};
        CREATE POLICY tenancy ON {table} FOR ALL
            USING ({unitColumn} = ANY (dti_scope_units()) OR dti_scope_unrestricted())
            WITH CHECK ({unitColumn} = ANY (dti_scope_units()) OR dti_scope_unrestricted());
        """;
}
