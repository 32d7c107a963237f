using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// One unit's assessment in one round: created (Draft) for every valid unit of the round's level when the round is
/// created. Unit-owned (ADR-006). The rules live in <see cref="AssessmentRules"/> (Domain); PostgreSQL's xmin is the
/// row version, so two concurrent submits cannot both win.
/// </summary>
public sealed class Assessment : IUnitOwned
{
    private Assessment() { } // EF

    public Assessment(AssessmentRound round, int unitId) : this(round.Id, unitId)
    {
        Round = round;
    }

    public Assessment(int roundId, int unitId)
    {
        RoundId = roundId;
        UnitId = unitId;
        Status = AssessmentStatus.Draft;
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public int RoundId { get; private set; }
    public AssessmentRound? Round { get; private set; }
    public AssessmentStatus Status { get; private set; }
    public int? TargetLevel { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    public string? SubmittedBy { get; private set; }
    /// <summary>The idempotency key of the request that submitted it (unique): a retry with it is "already submitted".</summary>
    public Guid? SubmissionKey { get; private set; }
    public uint RowVersion { get; private set; }

    /// <summary>How many times it has been submitted (1 after the first submission; each resubmission adds one).</summary>
    public int ReviewCycle { get; private set; }
    /// <summary>While Returned: the criteria the unit must fix and may change (empty: the whole assessment was returned).</summary>
    public List<string> ReturnedCriteria { get; private set; } = [];
    /// <summary>The reason of the last return, as the unit reads it.</summary>
    public string? ReturnReason { get; private set; }
    /// <summary>After approval, the one criterion the council has reopened (null: none), and why.</summary>
    public string? ReopenedCriterion { get; private set; }
    public string? ReopenReason { get; private set; }
    public DateTimeOffset? ApprovedAt { get; private set; }
    public DateTimeOffset? PublishedAt { get; private set; }
    /// <summary>The recognised total and level (copied from the current recognised result for lists and dashboards).</summary>
    public decimal? RecognisedTotal { get; private set; }
    public int? RecognisedLevel { get; private set; }
    /// <summary>When it was last returned to the unit (the start of its resubmission window); null when not returned.</summary>
    public DateTimeOffset? ReturnedAt { get; private set; }
    /// <summary>
    /// "Nộp muộn": by how many days a submission came after the deadline that applied (null: always on time). A later
    /// on-time resubmission does not erase it; a later late one keeps the larger count.
    /// </summary>
    public int? LateDays { get; private set; }

    /// <summary>The unit still holds the figures: Draft, or Returned by the reviewer.</summary>
    public bool AwaitingEntry => Status.AwaitingEntry();

    /// <summary>Approved or published: nobody edits (except the council's reopened criterion).</summary>
    public bool IsLocked => Status is AssessmentStatus.Approved or AssessmentStatus.Published;

    /// <summary>May the unit change this criterion (draft: all; returned: only what was returned)?</summary>
    public bool CanChangeCriterion(string criterion) => Domain.Reviews.AppraisalRules.CanChangeCriterion(Status, ReturnedCriteria, criterion);

    public bool CanChangeGeneral => Domain.Reviews.AppraisalRules.CanChangeGeneral(Status, ReturnedCriteria);

    /// <summary>
    /// A review transition (everything but submitting, which <see cref="Submit"/> does after the completeness check): the
    /// Domain's table decides whether the roles, the state and the round's tiers allow it. A return names the criteria
    /// sent back (empty: everything). Returns the state it left.
    /// </summary>
    public AssessmentStatus Apply(Domain.Reviews.WorkflowAction action, IReadOnlyCollection<string> roles, bool hasDistrictTier, string? reason,
        DateTimeOffset now, IReadOnlyCollection<string>? returnedCriteria = null)
    {
        if (action is Domain.Reviews.WorkflowAction.Submit or Domain.Reviews.WorkflowAction.Resubmit)
            throw new InvalidOperationException("Submitting goes through Submit (completeness is checked there).");
        var from = Status;
        var to = Domain.Reviews.AssessmentWorkflow.Apply(Status, action, roles, hasDistrictTier, reason);
        Status = to;
        switch (action)
        {
            case Domain.Reviews.WorkflowAction.ReturnToUnit or Domain.Reviews.WorkflowAction.ReturnFromCouncil:
                ReturnedCriteria = [.. (returnedCriteria ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                ReturnReason = reason!.Trim();
                ReturnedAt = now;
                break;
            case Domain.Reviews.WorkflowAction.Approve:
                ApprovedAt = now;
                break;
            case Domain.Reviews.WorkflowAction.Publish:
                PublishedAt = now;
                break;
        }
        return from;
    }

    /// <summary>
    /// Publishes again a published assessment whose result was corrected after its publication (a reopened criterion
    /// re-approved): from <paramref name="now"/> the public pages show the newest version. Not while a criterion is open.
    /// </summary>
    public void Republish(DateTimeOffset now)
    {
        if (Status != AssessmentStatus.Published) throw new DomainException("Chỉ công bố lại bản đánh giá đã công bố.");
        if (ReopenedCriterion is not null) throw new DomainException($"Tiêu chí {ReopenedCriterion} đang được mở lại; hãy phê duyệt lại trước khi công bố lại.");
        PublishedAt = now;
    }

    /// <summary>Records the recognised score and level (at approval, and again when a reopened criterion is re-approved).</summary>
    public void Recognise(decimal total, int? level)
    {
        if (!IsLocked) throw new DomainException("Chỉ ghi nhận kết quả cho bản đánh giá đã được phê duyệt.");
        RecognisedTotal = total;
        RecognisedLevel = level;
    }

    /// <summary>The council reopens one criterion of an approved assessment (not the whole thing), with a reason.</summary>
    public void Reopen(string criterion, string? reason)
    {
        if (!IsLocked) throw new DomainException("Chỉ mở lại tiêu chí của bản đánh giá đã được phê duyệt.");
        if (ReopenedCriterion is not null)
            throw new DomainException($"Tiêu chí {ReopenedCriterion} đang được mở lại; hãy phê duyệt lại tiêu chí đó trước khi mở tiêu chí khác.");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Phải nêu lý do mở lại tiêu chí.");
        ReopenedCriterion = criterion;
        ReopenReason = reason.Trim();
    }

    /// <summary>Closes the reopening (the result is recognised again by the caller).</summary>
    public void CloseReopening()
    {
        if (ReopenedCriterion is null) throw new DomainException("Không có tiêu chí nào đang được mở lại.");
        ReopenedCriterion = null;
        ReopenReason = null;
    }

    /// <summary>The workflow action a submission is in <paramref name="status"/>: a first submission, or again after a return.</summary>
    public static Domain.Reviews.WorkflowAction SubmitAction(AssessmentStatus status) =>
        status == AssessmentStatus.Returned ? Domain.Reviews.WorkflowAction.Resubmit : Domain.Reviews.WorkflowAction.Submit;

    public bool CanEdit(bool roundOpen) => AssessmentRules.CanEdit(AwaitingEntry, roundOpen);

    /// <summary>
    /// Submits (or resubmits after a return) through the workflow table, as a holder of <paramref name="roles"/> (by
    /// default the commune officer: the seeding jobs act as the unit). The completeness check is the caller's.
    /// </summary>
    public SubmitOutcome Submit(DateTimeOffset now, Guid key, bool roundOpen, string? by, IReadOnlyCollection<string>? roles = null, bool hasDistrictTier = false,
        DeadlineDecision? deadline = null)
    {
        var outcome = AssessmentRules.Submit(AwaitingEntry, roundOpen, SubmissionKey, key, deadline);
        if (outcome == SubmitOutcome.AlreadySubmitted) return outcome;
        Status = Domain.Reviews.AssessmentWorkflow.Apply(Status, SubmitAction(Status),
            roles ?? [Domain.Reviews.AssessmentWorkflow.RoleNames.CommuneOfficer], hasDistrictTier, null);
        ReviewCycle++;
        ReturnedCriteria = [];
        ReturnReason = null; // answered by this submission (the history step keeps it)
        ReturnedAt = null;
        if (deadline is { Verdict: DeadlineVerdict.Late, DaysLate: var days }) LateDays = Math.Max(LateDays ?? 0, days);
        SubmittedAt = now;
        SubmittedBy = by;
        SubmissionKey = key;
        return outcome;
    }

    public void RegisterTargetLevel(int level, IReadOnlyList<MaturityLevel> levels, bool roundOpen, DeadlineDecision? deadline = null)
    {
        if (AssessmentRules.WhyCannotEdit(AwaitingEntry, roundOpen, deadline) is { } why) throw new DomainException(why);
        AssessmentRules.CheckTargetLevel(level, levels);
        TargetLevel = level;
    }
}

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.ToTable("assessments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.TargetLevel).HasColumnName("target_level");
        b.Property(x => x.SubmittedAt).HasColumnName("submitted_at");
        b.Property(x => x.SubmittedBy).HasColumnName("submitted_by").HasMaxLength(256);
        b.Property(x => x.SubmissionKey).HasColumnName("submission_key");
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Property(x => x.ReviewCycle).HasColumnName("review_cycle");
        b.Property(x => x.ReturnedCriteria).HasColumnName("returned_criteria");
        b.Property(x => x.ReturnReason).HasColumnName("return_reason").HasMaxLength(4000);
        b.Property(x => x.ReopenedCriterion).HasColumnName("reopened_criterion").HasMaxLength(64);
        b.Property(x => x.ReopenReason).HasColumnName("reopen_reason").HasMaxLength(4000);
        b.Property(x => x.ApprovedAt).HasColumnName("approved_at");
        b.Property(x => x.PublishedAt).HasColumnName("published_at");
        b.Property(x => x.RecognisedTotal).HasColumnName("recognised_total").HasPrecision(12, 4);
        b.Property(x => x.RecognisedLevel).HasColumnName("recognised_level");
        b.Property(x => x.ReturnedAt).HasColumnName("returned_at");
        b.Property(x => x.LateDays).HasColumnName("late_days");
        b.Ignore(x => x.AwaitingEntry);
        b.Ignore(x => x.IsLocked);
        b.Ignore(x => x.CanChangeGeneral);
        b.HasIndex(x => new { x.RoundId, x.UnitId }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasIndex(x => x.SubmissionKey).IsUnique();
        b.HasOne(x => x.Round).WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
