using System.Diagnostics;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Integration.Tests.Reviews;
using DtiPortal.Web.Documents;
using DtiPortal.Web.Documents.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Integration.Tests.Reports;

/// <summary>
/// The review fixture (province P › district D › communes C1, C2, C3; province Q elsewhere) with Vietnamese names, one round in
/// which C1 and C2 have filled and submitted their figures, and the app's report services: the real renderer on the real
/// headless Chromium (Pdf:ChromiumPath, or DTI_CHROMIUM), a directory evidence store in a temporary folder, and workers that act
/// as the system. The background loop is off: tests call the worker's steps themselves.
/// </summary>
public sealed class ReportFixture : IAsyncLifetime
{
    public ReviewFixture Review { get; } = new();
    public ServiceProvider Services { get; private set; } = default!;
    public string StoreDirectory { get; } = Path.Combine(Path.GetTempPath(), "dti-report-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public int RoundId { get; private set; }
    public Dictionary<string, int> Assessments { get; private set; } = [];
    public Dictionary<string, int> Units => Review.Entry.Units;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("DTI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        await Review.InitializeAsync();
        await using (var owner = Review.Entry.Db.OwnerContext())
        {
            foreach (var (code, name) in new[] { ("P", "Hưng Yên"), ("D", "Văn Lâm"), ("C1", "Lạc Đạo"), ("C2", "Như Quỳnh"), ("C3", "Trưng Trắc"), ("Q", "Bắc Ninh") })
                await owner.Database.ExecuteSqlAsync($"update units set name = {name} where id = {Units[code]}");
        }
        (RoundId, Assessments) = await Review.Entry.NewRoundAsync();
        await Review.FillAndSubmitAsync(Assessments["C1"], "C1");
        await Review.FillAndSubmitAsync(Assessments["C2"], "C2", digitalHouseholds: "900");

        Services = TestDatabase.BuildServicesWith(Review.Entry.Db.ConnectionString, s => AddReportServices(s, StoreDirectory));
    }

    /// <summary>The report services as the web app registers them (renderer on the real Chromium), the worker loop off.</summary>
    public static void AddReportServices(IServiceCollection s, string storeDirectory, int parallelism = 2)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pdf:ChromiumPath"] = ChromiumPath,
            ["Pdf:MaxConcurrent"] = Math.Max(2, parallelism).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Evidence:Directory"] = storeDirectory,
            ["Reports:IntervalSeconds"] = "0",
            ["Reports:StaleSeconds"] = "120",
            ["Reports:Parallelism"] = parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        s.AddSingleton<IConfiguration>(configuration);
        s.AddReviewDocuments(configuration);
        s.AddDtiReports(configuration);
        s.AddSingleton<IReportRenderer, ReportRenderer>();
        s.AddSingleton<ISystemScopeFactory, TestSystemScopes>();
    }

    public async Task DisposeAsync()
    {
        if (Services is not null) await Services.DisposeAsync(); // closes Chromium
        await Review.DisposeAsync();
        if (Directory.Exists(StoreDirectory)) Directory.Delete(StoreDirectory, recursive: true);
    }

    public AsyncServiceScope ScopeAs(IUnitScope unitScope)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = unitScope;
        return scope;
    }

    public async Task<T> AsAsync<TUseCase, T>(IUnitScope who, Func<TUseCase, Task<T>> action) where TUseCase : notnull
    {
        await using var s = ScopeAs(who);
        return await action(s.ServiceProvider.GetRequiredService<TUseCase>());
    }

    /// <summary>A worker as another app instance would run it (its own name in claimed_by).</summary>
    public ReportJobWorker Worker(string instance, IReportRenderer? renderer = null) => new(
        Services.GetRequiredService<ISystemScopeFactory>(), renderer ?? Services.GetRequiredService<IReportRenderer>(),
        Services.GetRequiredService<Application.Evidence.IEvidenceStore>(), Services.GetRequiredService<ReportJobSettings>(),
        Services.GetRequiredService<ReportJobSignal>(), TimeProvider.System, Services.GetRequiredService<ILogger<ReportJobWorker>>())
    { Instance = instance };

    /// <summary>The self-assessed total of an assessment, scored here by the engine through ReviewScoring (not by the report code).</summary>
    public async Task<decimal> SelfTotalAsync(int assessmentId)
    {
        await using var s = ScopeAs(FixedUnitScope.System);
        await using var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<Application.Data.DtiDbContext>>().CreateDbContextAsync();
        var round = await db.AssessmentRounds.AsNoTracking().SingleAsync(r => r.Id == RoundId);
        var set = await s.ServiceProvider.GetRequiredService<RoundSetCache>().GetAsync(db, round.CriteriaSetVersionId, CancellationToken.None);
        var cohort = await s.ServiceProvider.GetRequiredService<ReviewScoring>().LoadAsync(RoundId, [assessmentId], set, CancellationToken.None);
        return ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, round.HasDistrictTier).Unit(ReviewScoring.Key(assessmentId)).Total;
    }

    /// <summary>Deletes every job (tests that insert jobs by hand leave none behind for the others' workers).</summary>
    public async Task ClearJobsAsync()
    {
        await using var owner = Review.Entry.Db.OwnerContext();
        await owner.Database.ExecuteSqlAsync($"delete from report_jobs");
    }

    /// <summary>The PDF's text by pdftotext (poppler-utils), whitespace collapsed to single spaces.</summary>
    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), "dti-report-" + Guid.NewGuid().ToString("N")[..8] + ".pdf");
        await File.WriteAllBytesAsync(file, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext did not start (apt-get install poppler-utils)");
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            return string.Join(' ', output.Normalize(System.Text.NormalizationForm.FormC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("DTI_KEEP_PDF") is { Length: > 0 } keep)
            {
                Directory.CreateDirectory(keep);
                File.Copy(file, Path.Combine(keep, Path.GetFileName(file)), overwrite: true);
            }
            File.Delete(file);
        }
    }

    private sealed class TestSystemScopes(IServiceScopeFactory scopes) : ISystemScopeFactory
    {
        public AsyncServiceScope CreateSystemScope()
        {
            var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = FixedUnitScope.System;
            return scope;
        }
    }
}
