using System.Xml.Linq;
using DtiPortal.Application.Data;
using DtiPortal.Web.Auth;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// The data-protection key ring in PostgreSQL (table data_protection_keys, ADR-009): every instance reads and writes the
/// same keys, so a sign-in cookie or antiforgery token issued by one instance is valid on all of them, and users stay
/// signed in across restarts and upgrades. Runs outside any request: its own DI scope, acting as the system.
/// </summary>
public sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, ILogger<DatabaseXmlRepository> logger) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // The key manager's API is synchronous.
        using var scope = SystemScope();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContext();
        var rows = db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => new { k.FriendlyName, k.Xml }).ToList();
        var elements = new List<XElement>(rows.Count);
        foreach (var row in rows)
        {
            try { elements.Add(XElement.Parse(row.Xml)); }
            catch (System.Xml.XmlException ex) { logger.LogWarning(ex, "Data-protection key {Name} is not valid XML; ignored", row.FriendlyName); }
        }
        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = SystemScope();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow(friendlyName, element.ToString(SaveOptions.DisableFormatting), DateTimeOffset.UtcNow));
        db.SaveChanges();
        logger.LogInformation("Stored data-protection key {Name} in the database", friendlyName);
    }

    private IServiceScope SystemScope()
    {
        var scope = scopes.CreateScope();
        scope.ServiceProvider.GetService<CurrentUser>()?.ActAsSystem(); // the web app's IUnitScope follows CurrentUser
        return scope;
    }
}
