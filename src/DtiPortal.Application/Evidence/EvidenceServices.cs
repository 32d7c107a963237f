using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DtiPortal.Application.Evidence;

public static class EvidenceServices
{
    /// <summary>Registers the evidence store chosen by Evidence:Store and the evidence use cases (docs/evidence.md).</summary>
    public static IServiceCollection AddDtiEvidence(this IServiceCollection services)
    {
        services.AddSingleton(sp => sp.GetService<IConfiguration>()?.GetSection(EvidenceOptions.Section).Get<EvidenceOptions>() ?? new EvidenceOptions());
        services.AddSingleton<IEvidenceStore>(sp => CreateStore(sp.GetRequiredService<EvidenceOptions>(),
            sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory()));
        services.AddScoped<EvidenceAccess>();
        services.AddScoped<UploadEvidence>();
        services.AddScoped<AddEvidenceLink>();
        services.AddScoped<DeleteEvidence>();
        services.AddScoped<OpenEvidence>();
        services.AddScoped<EvidenceQueries>();
        services.AddScoped<Assessments.IEvidenceLister>(sp => sp.GetRequiredService<EvidenceQueries>());
        return services;
    }

    public static IEvidenceStore CreateStore(EvidenceOptions options, string contentRoot) => options.Store.Trim().ToLowerInvariant() switch
    {
        "directory" or "" => new DirectoryEvidenceStore(Path.IsPathRooted(options.Directory)
            ? options.Directory
            : Path.Combine(contentRoot, string.IsNullOrWhiteSpace(options.Directory) ? EvidenceOptions.DefaultDirectory : options.Directory)),
        "s3" => new S3EvidenceStore(options.S3),
        _ => throw new InvalidOperationException($"Evidence:Store = '{options.Store}' không hợp lệ: dùng Directory hoặc S3."),
    };
}
