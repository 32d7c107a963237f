using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DtiPortal.Application.Reporting.Reports;

public static class ReportServices
{
    /// <summary>
    /// The PDF reports' use cases, settings (section <c>Reports</c>) and the worker (as a plain singleton: the host that can
    /// render PDFs registers it as a hosted service, with an <see cref="IReportRenderer"/> and an <see cref="ISystemScopeFactory"/>).
    /// </summary>
    public static IServiceCollection AddDtiReports(this IServiceCollection services, IConfiguration? configuration = null)
    {
        services.TryAddSingleton(sp => ReportJobSettings.Load(configuration ?? sp.GetService<IConfiguration>()));
        services.TryAddSingleton<ReportJobSignal>();
        services.TryAddScoped<ReportQueries>();
        services.TryAddScoped<RequestReportArchive>();
        services.TryAddScoped<ReportJobQueries>();
        services.TryAddSingleton<ReportJobWorker>();
        return services;
    }
}
