using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Web.Auth;
using DtiPortal.Web.Documents.Reports;

namespace DtiPortal.Web.Documents;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>
    /// The PDF reports (issue 7, docs/user/bao-cao.md): the use cases, <see cref="IReportRenderer"/> on the shared
    /// <see cref="ChromiumPdf"/> (registered by AddReviewDocuments, which must come first), and the background worker
    /// (section <c>Reports</c>: IntervalSeconds, StaleSeconds, RetentionDays, Parallelism).
    /// </summary>
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDtiReports(configuration);
        services.AddSingleton<IReportRenderer, ReportRenderer>();
        services.AddSingleton<ISystemScopeFactory, WebSystemScopes>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportJobWorker>());
        return services;
    }

    /// <summary>A DI scope whose <see cref="CurrentUser"/> is the system (so its IUnitScope is FixedUnitScope.System).</summary>
    private sealed class WebSystemScopes(IServiceScopeFactory scopes) : ISystemScopeFactory
    {
        public AsyncServiceScope CreateSystemScope()
        {
            var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
            return scope;
        }
    }
}
