using System.Linq.Expressions;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Units;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Data;

/// <summary>
/// The one DbContext. Pages never hold it: use cases create one per operation through
/// <see cref="IDbContextFactory{TContext}"/>, because a Blazor circuit lives for minutes.
/// The <see cref="IUnitScope"/> comes from DI (the factory is scoped): every unit-owned entity gets the named query
/// filter <see cref="TenancyFilter.Name"/>, and the connection interceptor hands the same scope to PostgreSQL's
/// row-level security (ADR-006).
/// </summary>
public sealed class DtiDbContext(DbContextOptions<DtiDbContext> options, IUnitScope scope) : IdentityDbContext<AppUser>(options)
{
    public IUnitScope Scope { get; } = scope;

    // Read by the query filters: EF re-reads these members from the context that runs the query.
    private bool ScopeIsUnrestricted => Scope.IsUnrestricted;
    private int[] ScopeUnitIds => _scopeUnitIds ??= [.. Scope.UnitIds];
    private int[]? _scopeUnitIds;

    public DbSet<UnitContact> UnitContacts => Set<UnitContact>();
    public DbSet<AuditEntry> AuditLog => Set<AuditEntry>();
    public DbSet<UnitLevel> UnitLevels => Set<UnitLevel>();
    public DbSet<AdministrativeUnit> Units => Set<AdministrativeUnit>();
    public DbSet<Criteria.CriteriaSetVersion> CriteriaSetVersions => Set<Criteria.CriteriaSetVersion>();
    public DbSet<Criteria.Studio.CriteriaSetDraft> CriteriaSetDrafts => Set<Criteria.Studio.CriteriaSetDraft>();
    public DbSet<Evidence.EvidenceFile> EvidenceFiles => Set<Evidence.EvidenceFile>();
    public DbSet<AssessmentRound> AssessmentRounds => Set<AssessmentRound>();
    public DbSet<Assessment> Assessments => Set<Assessment>();
    public DbSet<AssessmentValue> AssessmentValues => Set<AssessmentValue>();
    public DbSet<RuleExplanation> RuleExplanations => Set<RuleExplanation>();
    public DbSet<CriterionAssignment> CriterionAssignments => Set<CriterionAssignment>();
    public DbSet<DeadlineExtension> DeadlineExtensions => Set<DeadlineExtension>();
    public DbSet<Reviews.CriterionAppraisal> CriterionAppraisals => Set<Reviews.CriterionAppraisal>();
    public DbSet<Reviews.ReviewComment> ReviewComments => Set<Reviews.ReviewComment>();
    public DbSet<Reviews.WorkflowStep> WorkflowSteps => Set<Reviews.WorkflowStep>();
    public DbSet<Reviews.CouncilVote> CouncilVotes => Set<Reviews.CouncilVote>();
    public DbSet<Reviews.RecognisedResult> RecognisedResults => Set<Reviews.RecognisedResult>();
    public DbSet<Reviews.ScoreSnapshot> ScoreSnapshots => Set<Reviews.ScoreSnapshot>();
    public DbSet<Reviews.CouncilAssignment> CouncilAssignments => Set<Reviews.CouncilAssignment>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();
    public DbSet<Notifications.EmailMessage> EmailOutbox => Set<Notifications.EmailMessage>();
    public DbSet<Reporting.Reports.ReportJob> ReportJobs => Set<Reporting.Reports.ReportJob>();
    public DbSet<DataProtectionKeyRow> DataProtectionKeys => Set<DataProtectionKeyRow>();
    public DbSet<Quality.FollowUpMark> FollowUpMarks => Set<Quality.FollowUpMark>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // Identity's tables
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DtiDbContext).Assembly);
        ApplyTenancyFilters(modelBuilder);
    }

    /// <summary>
    /// Tenancy in one place (ADR-006): every root entity type implementing <see cref="IUnitOwned"/> keeps only rows
    /// of units in scope; the audit log and <see cref="IOptionallyUnitOwned"/> types (whose unit is optional) only rows
    /// about units in scope.
    /// </summary>
    private void ApplyTenancyFilters(ModelBuilder modelBuilder)
    {
        var context = Expression.Constant(this);
        var unrestricted = Expression.Property(context, nameof(ScopeIsUnrestricted));
        var unitIds = Expression.Property(context, nameof(ScopeUnitIds));
        var contains = typeof(Enumerable).GetMethods()
            .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(int));

        foreach (var entityType in modelBuilder.Model.GetEntityTypes().ToList())
        {
            if (entityType.BaseType is not null || entityType.IsOwned()) continue;
            var clr = entityType.ClrType;
            var e = Expression.Parameter(clr, "e");
            Expression? inScope = null;
            if (typeof(IUnitOwned).IsAssignableFrom(clr))
                inScope = Expression.Call(contains, unitIds, Expression.Property(e, nameof(IUnitOwned.UnitId)));
            else if (clr == typeof(AuditEntry) || typeof(IOptionallyUnitOwned).IsAssignableFrom(clr))
            {
                // A row without a unit (an audit entry about no unit, a national criteria draft) is for unrestricted scopes only.
                var unit = Expression.Property(e, nameof(AuditEntry.UnitId));
                inScope = Expression.AndAlso(Expression.Property(unit, "HasValue"),
                    Expression.Call(contains, unitIds, Expression.Property(unit, "Value")));
            }
            if (inScope is null) continue;
            modelBuilder.Entity(clr).HasQueryFilter(TenancyFilter.Name, Expression.Lambda(Expression.OrElse(unrestricted, inScope), e));
        }
    }
}
