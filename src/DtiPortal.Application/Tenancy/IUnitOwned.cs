namespace DtiPortal.Application.Tenancy;

/// <summary>
/// An entity that belongs to one administrative unit. Implementing this is all it takes to be scoped (ADR-006):
/// <see cref="Data.DtiDbContext"/> adds the named query filter <see cref="TenancyFilter.Name"/>, and the table
/// must get a row-level security policy in its migration (<c>TenancySql.EnableRowLevelSecurity</c>);
/// a test fails when either is missing.
/// </summary>
public interface IUnitOwned
{
    int UnitId { get; }
}

public static class TenancyFilter
{
    /// <summary>The name of the global query filter on unit-owned entities: <c>IgnoreQueryFilters([TenancyFilter.Name])</c>.</summary>
    public const string Name = "Tenancy";
}
