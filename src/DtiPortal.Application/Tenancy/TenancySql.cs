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

    /// <summary>
    /// The scope functions of issue 16 §2, beside <c>dti_scope_units()</c> and <c>dti_scope_unrestricted()</c>:
    /// <c>dti_scope_user()</c>, the signed-in user's id from <c>dti.scope_user</c> (null when missing or empty: the system,
    /// an anonymous visitor, a connection that never went through the interceptor), and <c>dti_scope_rounds()</c>, the
    /// rounds of every province the scope touches: a province in scope, or one above a unit in scope (a commune's round
    /// belongs to its province). Units and rounds are reference data (no policy), so the function sees them whoever asks.
    /// Names are schema-qualified: pg_dump (scripts/backup) runs with an empty search_path and evaluates the policies.
    /// </summary>
    public const string ScopeUserAndRoundFunctions = """
        CREATE OR REPLACE FUNCTION dti_scope_user() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS
        $$ SELECT nullif(current_setting('dti.scope_user', true), '') $$;
        CREATE OR REPLACE FUNCTION dti_scope_rounds() RETURNS integer[] LANGUAGE sql STABLE PARALLEL SAFE AS $$
            WITH RECURSIVE up(id, parent_id) AS (
                SELECT id, parent_id FROM public.units WHERE id = ANY (public.dti_scope_units())
                UNION
                SELECT u.id, u.parent_id FROM up JOIN public.units u ON u.id = up.parent_id)
            SELECT coalesce(array_agg(r.id), '{}'::integer[]) FROM public.assessment_rounds r WHERE r.province_unit_id IN (SELECT id FROM up)
        $$;
        GRANT EXECUTE ON FUNCTION dti_scope_user(), dti_scope_rounds() TO dti_app;
        """;

    /// <summary>
    /// A user's own rows (an inbox): read, changed and deleted only by that user (<paramref name="userColumn"/> =
    /// <c>dti_scope_user()</c>) or an unrestricted scope; added by any signed-in user or the system, because an event
    /// notifies other people. The writer cannot read the row back, so it is inserted without RETURNING (ids from the
    /// sequence first: <c>SequenceIdGenerator</c>).
    /// </summary>
    public static string EnableUserRowSecurity(string table, string userColumn = "user_id") => $"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS own_read ON {table};
        DROP POLICY IF EXISTS own_change ON {table};
        DROP POLICY IF EXISTS own_delete ON {table};
        DROP POLICY IF EXISTS deliver ON {table};
        CREATE POLICY own_read ON {table} FOR SELECT
            USING ({userColumn} = dti_scope_user() OR dti_scope_unrestricted());
        CREATE POLICY own_change ON {table} FOR UPDATE
            USING ({userColumn} = dti_scope_user() OR dti_scope_unrestricted())
            WITH CHECK ({userColumn} = dti_scope_user() OR dti_scope_unrestricted());
        CREATE POLICY own_delete ON {table} FOR DELETE
            USING ({userColumn} = dti_scope_user() OR dti_scope_unrestricted());
        CREATE POLICY deliver ON {table} FOR INSERT
            WITH CHECK (dti_scope_user() IS NOT NULL OR dti_scope_unrestricted());
        """;

    /// <summary>
    /// Rows only the system reads and changes (the e-mail outbox, sent by a background job as the system): unrestricted
    /// scopes only, except that any signed-in user may add a row (a step they take e-mails other people), without RETURNING.
    /// </summary>
    public static string EnableSystemRowSecurity(string table) => $"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS system_only ON {table};
        DROP POLICY IF EXISTS enqueue ON {table};
        CREATE POLICY system_only ON {table} FOR ALL
            USING (dti_scope_unrestricted())
            WITH CHECK (dti_scope_unrestricted());
        CREATE POLICY enqueue ON {table} FOR INSERT
            WITH CHECK (dti_scope_user() IS NOT NULL);
        """;

    /// <summary>
    /// Rows that belong to an assessment round (a frozen cohort, a council assignment): visible and writable when the
    /// round's province is one the scope touches (<c>dti_scope_rounds()</c>, evaluated once per statement) or the scope is
    /// unrestricted. A commune sees its own province's rounds (its page compares it with the frozen cohort), never another's.
    /// </summary>
    public static string EnableRoundRowSecurity(string table, string roundColumn = "round_id") => $"""
        ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS tenancy ON {table};
        CREATE POLICY tenancy ON {table} FOR ALL
            USING (dti_scope_unrestricted() OR {roundColumn} = ANY ((SELECT dti_scope_rounds())::integer[]))
            WITH CHECK (dti_scope_unrestricted() OR {roundColumn} = ANY ((SELECT dti_scope_rounds())::integer[]));
        """;

    /// <summary>Undoes the policies above (a migration's Down).</summary>
    public static string DisableRowLevelSecurity(string table) => $"""
        DO $$
        DECLARE p record;
        BEGIN
            FOR p IN SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = '{table}' LOOP
                EXECUTE format('DROP POLICY %I ON {table}', p.policyname);
            END LOOP;
        END $$;
        ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
        """;
}
