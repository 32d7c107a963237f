using DtiPortal.Domain.Criteria;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Application.Criteria;

/// <summary>What registering the built-in sets did: one outcome per embedded library.</summary>
public sealed record BuiltInSyncReport(IReadOnlyList<CriteriaLoadOutcome> Outcomes)
{
    public int Stored => Outcomes.Count(o => o.Status == CriteriaLoadStatus.Stored);
    /// <summary>Built-ins that could not be registered: an invalid file, or a shipped file edited without a new version.</summary>
    public IReadOnlyList<CriteriaLoadOutcome> Problems => Outcomes.Where(o => !o.Succeeded).ToList();
}

/// <summary>
/// Registers the libraries embedded in the Domain (<see cref="BuiltInLibraries"/>) as stored versions, so that
/// pages, rounds and diffs treat them like any loaded version. Idempotent: run at web start and by `dti demo seed`.
/// </summary>
public sealed class SyncBuiltInSets(LoadCriteriaSet load)
{
    public async Task<BuiltInSyncReport> HandleAsync(CancellationToken ct = default)
    {
        var outcomes = new List<CriteriaLoadOutcome>();
        foreach (var id in BuiltInLibraries.Ids)
        {
            var text = BuiltInLibraries.ReadText(id)!;
            outcomes.Add(await load.HandleAsync(text, loadedBy: null, isBuiltIn: true, ct));
        }
        return new BuiltInSyncReport(outcomes);
    }

    /// <summary>For start-up code: runs the sync in its own scope and logs what it did; a problem is logged, not thrown.</summary>
    public static async Task<BuiltInSyncReport> RunAsync(IServiceProvider services, CancellationToken ct = default)
    {
        using var scope = services.CreateScope();
        var report = await scope.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync(ct);
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("DtiPortal.Criteria");
        if (report.Stored > 0) logger.LogInformation("Registered {Count} built-in criteria set version(s)", report.Stored);
        foreach (var p in report.Problems)
            logger.LogWarning("Built-in criteria set {SetId} v{Version} not registered: {Message} {Errors}",
                p.SetId, p.Version, p.Message, string.Join("; ", p.Errors));
        return report;
    }
}
