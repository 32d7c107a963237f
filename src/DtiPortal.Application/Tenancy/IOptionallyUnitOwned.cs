namespace DtiPortal.Application.Tenancy;

/// <summary>
/// An entity that belongs either to one unit or to no unit at all (the nation). A row with a unit is scoped exactly like
/// <see cref="IUnitOwned"/>; a row without one is visible only to unrestricted scopes (system administrators and system
/// processes). <see cref="Data.DtiDbContext"/> adds the named query filter <see cref="TenancyFilter.Name"/>; the table's
/// migration adds <c>TenancySql.EnableRowLevelSecurity</c>, whose <c>unit_id = ANY(...)</c> is never true for NULL.
/// </summary>
public interface IOptionallyUnitOwned
{
    int? UnitId { get; }
}
