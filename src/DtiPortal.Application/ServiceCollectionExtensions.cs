using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DtiPortal.Application;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the DbContext factory and every use case. Validators are registered by hand (no FluentValidation DI package here).</summary>
    public static IServiceCollection AddDtiApplication(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(new DatabaseConnection(connectionString));
        // Tenancy (ADR-006): the context takes the caller's IUnitScope, so the factory is scoped. Anything that does not
        // register its own scope (web: the signed-in user; CLI: FixedUnitScope.System) sees no unit-owned rows.
        services.TryAddScoped<IUnitScope>(_ => FixedUnitScope.Nobody);
        services.TryAddSingleton(sp => new TenancyConnectionInterceptor(
            sp.GetService<IConfiguration>()?["Database:AppRole"] ?? TenancySql.AppRole,
            sp.GetService<ILogger<TenancyConnectionInterceptor>>() ?? NullLogger<TenancyConnectionInterceptor>.Instance));
        services.TryAddSingleton<AuditSaveChangesInterceptor>();
        // Issue 17 (ADR-012): committed changes of values reach the round score cache of this instance and of the others.
        services.TryAddSingleton<Caching.SharedChanges>();
        services.TryAddSingleton<Caching.ScoreChangeInterceptor>();
        services.AddDbContextFactory<DtiDbContext>((sp, o) =>
        {
            Database.Configure(o, connectionString);
            var scoreChanges = sp.GetRequiredService<Caching.ScoreChangeInterceptor>();
            o.AddInterceptors(sp.GetRequiredService<TenancyConnectionInterceptor>(), sp.GetRequiredService<AuditSaveChangesInterceptor>(),
                scoreChanges, scoreChanges.Commits);
        }, ServiceLifetime.Scoped);
        // Identity's stores read the schema version from DI (STACK.md): one registration for web, CLI, tests and dotnet-ef.
        services.AddIdentityCore<AppUser>(IdentitySettings.Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DtiDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<VietnameseIdentityErrors>();
        services.AddSingleton(TimeProvider.System);
        services.AddDataProtection(); // Identity's token providers need it in the CLI and tests too; the web app configures the key ring
        services.AddScoped<AccessGuard>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<AuditQueries>();
        services.AddSingleton(new UnitHierarchy(connectionString));
        services.AddScoped<UnitQueries>();
        services.AddScoped<ImportUnits>();
        services.AddScoped<DemoData>();
        services.AddScoped<DemoUsers>();
        services.AddScoped<DemoAssessments>();
        services.AddSingleton<FluentValidation.IValidator<CreateUserRequest>, CreateUserValidator>();
        services.AddScoped<UserAdminPolicy>();
        services.AddScoped<UserQueries>();
        services.AddScoped<CreateUser>();
        services.AddScoped<ImportUsers>();
        services.AddScoped<ResetPassword>();
        services.AddScoped<SetDisabled>();
        services.AddScoped<SetRoles>();
        services.AddSingleton<Criteria.CriteriaSetCache>();
        services.AddScoped<Criteria.LoadCriteriaSet>();
        services.AddScoped<Criteria.SyncBuiltInSets>();
        services.AddScoped<Criteria.SetOwnership>();
        services.AddScoped<Criteria.CriteriaQueries>();
        services.AddScoped<Criteria.Studio.CriteriaStudio>();
        services.AddScoped<Criteria.Studio.StudioTrial>();
        services.AddSingleton<Assessments.RoundSetCache>();
        services.AddSingleton(sp => Assessments.EntrySettings.From(sp.GetService<IConfiguration>()));
        services.AddSingleton(sp => Reviews.DocumentNumbering.From(sp.GetService<IConfiguration>()));
        services.AddSingleton<FluentValidation.IValidator<Assessments.CreateRoundRequest>, Assessments.CreateRoundValidator>();
        services.AddScoped<Assessments.AssessmentAccess>();
        services.AddScoped<Assessments.RoundAdmin>();
        services.AddScoped<Assessments.UnitDeadlineExtensions>();
        services.AddScoped<Assessments.AssessmentQueries>();
        services.AddScoped<Assessments.SaveValue>();
        services.AddScoped<Assessments.ScoreAssessment>();
        services.AddScoped<Assessments.CheckCompleteness>();
        services.AddScoped<Assessments.SubmitAssessment>();
        services.AddScoped<Assessments.AssessmentRuleChecks>();
        services.AddScoped<Assessments.ExplainRuleWarning>();
        services.AddScoped<Assessments.AssignCriteria>();
        services.AddScoped<Assessments.RegisterTargetLevel>();
        Evidence.EvidenceServices.AddDtiEvidence(services);
        services.AddScoped<Reviews.ReviewAccess>();
        services.AddScoped<Reviews.ReviewScoring>();
        services.AddScoped<Reviews.ReviewQueue>();
        services.AddScoped<Reviews.ReviewQueries>();
        services.AddScoped<Reviews.RecordAppraisal>();
        services.AddScoped<Reviews.AddReviewComment>();
        services.AddScoped<Reviews.TransitionAssessment>();
        services.AddScoped<Reviews.CastVote>();
        services.AddScoped<Reviews.ReopenCriterion>();
        services.AddScoped<Reviews.ReapproveCriterion>();
        services.AddScoped<Reviews.PublishRound>();
        services.AddScoped<Reviews.CouncilAssignments>();
        services.AddScoped<Reviews.ReviewDocuments>();
        // issue 15: data-quality checks (outliers) and "cần theo dõi" marks (docs/user/kiem-tra-chat-luong.md)
        services.AddSingleton(sp => Quality.DataQuality.SettingsFrom(sp.GetService<IConfiguration>()));
        services.AddScoped<Quality.DataQuality>();
        services.AddScoped<Quality.MarkFollowUp>();
        services.AddScoped<Quality.AnswerFollowUp>();
        services.AddScoped<Quality.ExportQuality>();
        PublicResults.PublicResultsServices.AddDtiPublicResults(services); // issue 7: public results (cache invalidated by PublishRound)
        Notifications.NotificationServices.AddDtiNotifications(services, configuration: null); // settings from the container's IConfiguration
        services.AddSingleton<Reporting.RoundScoreCache>(); // issue 7: dashboards (/tong-quan)
        services.AddScoped<Reporting.DashboardQueries>();
        // issue 7: spreadsheets (Spreadsheets/, docs/user/bang-tinh.md)
        services.AddScoped<Spreadsheets.AssessmentWorkbook>();
        services.AddScoped<Spreadsheets.EntryTemplate>();
        services.AddScoped<Spreadsheets.ImportEntryTemplate>();
        services.AddScoped<Spreadsheets.ExportRanking>();
        return services;
    }
}
