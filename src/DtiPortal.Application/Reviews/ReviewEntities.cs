using DtiPortal.Application.Assessments;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// One tier's appraisal of one criterion of one assessment (điểm thẩm định): accepted, corrected (inputs as JSON by
/// address, and/or points) or sent back for the unit to fix, with the reason. One current row per criterion and tier;
/// earlier versions live in the audit log. <see cref="Version"/> is the concurrency token: two reviewers saving the
/// same criterion at once do not overwrite each other silently. Unit-owned.
/// </summary>
public sealed class CriterionAppraisal : IUnitOwned
{
    private CriterionAppraisal() { } // EF

    public CriterionAppraisal(int assessmentId, int unitId, string criterionCode, ReviewTier tier)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        CriterionCode = criterionCode;
        Tier = tier;
    }

    public CriterionAppraisal(Assessment assessment, string criterionCode, ReviewTier tier) : this(assessment.Id, assessment.UnitId, criterionCode, tier)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public string CriterionCode { get; private set; } = "";
    public ReviewTier Tier { get; private set; }
    public AppraisalVerdict Verdict { get; private set; }
    /// <summary>Corrected inputs, a JSON object of address → value in the stored format (null: none).</summary>
    public string? CorrectedValuesJson { get; private set; }
    /// <summary>Points set by the reviewer (null: computed from the — possibly corrected — inputs).</summary>
    public decimal? CorrectedPoints { get; private set; }
    public string? Reason { get; private set; }
    /// <summary>The submission (<see cref="Assessment.ReviewCycle"/>) this appraisal was made on.</summary>
    public int Cycle { get; private set; }
    public string? ReviewedBy { get; private set; }
    public string? ReviewedByName { get; private set; }
    public DateTimeOffset ReviewedAt { get; private set; }
    public int Version { get; private set; }

    public void Record(AppraisalVerdict verdict, string? correctedValuesJson, decimal? correctedPoints, string? reason, int cycle,
        DateTimeOffset now, string? userId, string? userName)
    {
        var hasCorrections = correctedValuesJson is not null || correctedPoints is not null;
        if (AppraisalRules.Check(verdict, hasCorrections, reason) is { } problem) throw new DomainException(problem);
        Verdict = verdict;
        CorrectedValuesJson = verdict == AppraisalVerdict.Corrected ? correctedValuesJson : null;
        CorrectedPoints = verdict == AppraisalVerdict.Corrected ? correctedPoints : null;
        // The reason belongs to the verdict it was given with: accepting after "needs fix" or a correction drops the old
        // reason, so neither the page, the unit nor the minutes show a reason for a criterion that was accepted.
        Reason = verdict == AppraisalVerdict.Accepted || string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        Cycle = cycle;
        ReviewedAt = now;
        ReviewedBy = userId;
        ReviewedByName = userName;
        Version++;
    }
}

/// <summary>A comment in the thread of one criterion (or of the whole assessment when <see cref="CriterionCode"/> is null). Unit-owned.</summary>
public sealed class ReviewComment : IUnitOwned
{
    public const int MaxLength = 4000;

    private ReviewComment() { } // EF

    public ReviewComment(int assessmentId, int unitId, string? criterionCode, string text, int cycle, DateTimeOffset now,
        string? authorId, string authorName, string authorRole)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DomainException("Nội dung trao đổi không được để trống.");
        if (text.Length > MaxLength) throw new DomainException($"Nội dung trao đổi dài quá {MaxLength} ký tự.");
        AssessmentId = assessmentId;
        UnitId = unitId;
        CriterionCode = criterionCode;
        Text = text.Trim();
        Cycle = cycle;
        CreatedAt = now;
        AuthorId = authorId;
        AuthorName = authorName;
        AuthorRole = authorRole;
    }

    public ReviewComment(Assessment assessment, string? criterionCode, string text, DateTimeOffset now, string authorName)
        : this(assessment.Id, assessment.UnitId, criterionCode, text, assessment.ReviewCycle, now, null, authorName, "")
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public string? CriterionCode { get; private set; }
    public string Text { get; private set; } = "";
    public int Cycle { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string? AuthorId { get; private set; }
    public string AuthorName { get; private set; } = "";
    /// <summary>What the author is in this workflow, as shown ("Phòng Văn hóa và Thông tin", "Hội đồng thẩm định", "Đơn vị").</summary>
    public string AuthorRole { get; private set; } = "";

    public void Edit(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DomainException("Nội dung trao đổi không được để trống.");
        Text = text.Trim();
    }
}

/// <summary>
/// One step of an assessment's history: a workflow transition, or the council reopening/re-approving a criterion.
/// Submissions carry a snapshot of the values as submitted (JSON address → value), from which the reviewer's
/// "what changed since the last review" is computed. Unit-owned; written once, never changed.
/// </summary>
public sealed class WorkflowStep : IUnitOwned
{
    private WorkflowStep() { } // EF

    public WorkflowStep(int assessmentId, int unitId, string action, AssessmentStatus from, AssessmentStatus to, string? reason, string? criterionCode,
        int cycle, DateTimeOffset at, string? actorId, string actorName, string? valuesJson)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        Action = action;
        FromStatus = from;
        ToStatus = to;
        Reason = reason;
        CriterionCode = criterionCode;
        Cycle = cycle;
        At = at;
        ActorId = actorId;
        ActorName = actorName;
        ValuesJson = valuesJson;
    }

    public WorkflowStep(Assessment assessment, string action, DateTimeOffset at, string actorName)
        : this(assessment.Id, assessment.UnitId, action, assessment.Status, assessment.Status, null, null, assessment.ReviewCycle, at, null, actorName, null)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    /// <summary>A <see cref="WorkflowAction"/> name, or <see cref="ReviewActions.ReopenCriterion"/> / <see cref="ReviewActions.ReapproveCriterion"/>.</summary>
    public string Action { get; private set; } = "";
    public AssessmentStatus FromStatus { get; private set; }
    public AssessmentStatus ToStatus { get; private set; }
    public string? Reason { get; private set; }
    public string? CriterionCode { get; private set; }
    public int Cycle { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    public string? ValuesJson { get; private set; }
}

/// <summary>A council member's vote on an assessment under appraisal (one per member and submission). Unit-owned.</summary>
public sealed class CouncilVote : IUnitOwned
{
    private CouncilVote() { } // EF

    public CouncilVote(int assessmentId, int unitId, int cycle, string userId, string userName, string roleName)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        Cycle = cycle;
        UserId = userId;
        UserName = userName;
        RoleName = roleName;
    }

    public CouncilVote(Assessment assessment, string userId, string userName, string roleName)
        : this(assessment.Id, assessment.UnitId, assessment.ReviewCycle, userId, userName, roleName)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public int Cycle { get; private set; }
    public string UserId { get; private set; } = "";
    public string UserName { get; private set; } = "";
    public string RoleName { get; private set; } = "";
    public bool Agrees { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset At { get; private set; }

    public void Cast(bool agrees, string? comment, DateTimeOffset now)
    {
        if (!agrees && string.IsNullOrWhiteSpace(comment)) throw new DomainException("Khi không đồng ý, hãy ghi ý kiến.");
        if (comment is { Length: > 2000 }) throw new DomainException("Ý kiến dài quá 2000 ký tự.");
        Agrees = agrees;
        Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        At = now;
    }
}

/// <summary>
/// The recognised result of an approved assessment: per-criterion self-assessed, appraised and achieved points and levels
/// (JSON), totals, level, the cohort snapshot peer-relative criteria were scored against, and the two documents. Version 1
/// is the approval; a re-approval after a reopened criterion adds version 2, 3 … (the latest is current). Never changed
/// once written except to attach its documents. Unit-owned.
/// </summary>
public sealed class RecognisedResult : IUnitOwned
{
    private RecognisedResult() { } // EF

    public RecognisedResult(int assessmentId, int unitId, int version, Guid snapshotId, decimal selfTotal, decimal appraisedTotal, decimal total,
        int? selfLevel, int? level, string resultJson, string documentNumber, DateTimeOffset approvedAt, string? approvedBy, string approvedByName, string? note,
        string? minutesNumber = null)
    {
        MinutesNumber = minutesNumber;
        AssessmentId = assessmentId;
        UnitId = unitId;
        Version = version;
        SnapshotId = snapshotId;
        SelfTotal = selfTotal;
        AppraisedTotal = appraisedTotal;
        Total = total;
        SelfLevel = selfLevel;
        Level = level;
        ResultJson = resultJson;
        DocumentNumber = documentNumber;
        ApprovedAt = approvedAt;
        ApprovedBy = approvedBy;
        ApprovedByName = approvedByName;
        Note = note;
    }

    public RecognisedResult(Assessment assessment, int version, decimal total, string approvedByName)
        : this(assessment.Id, assessment.UnitId, version, Guid.NewGuid(), total, total, total, null, null, "[]", $"{version}/QĐ", DateTimeOffset.UtcNow, null, approvedByName, null)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public int Version { get; private set; }
    public Guid SnapshotId { get; private set; }
    public decimal SelfTotal { get; private set; }
    public decimal AppraisedTotal { get; private set; }
    public decimal Total { get; private set; }
    public int? SelfLevel { get; private set; }
    public int? Level { get; private set; }
    /// <summary>JSON array of <see cref="ResultRow"/>.</summary>
    public string ResultJson { get; private set; } = "[]";
    /// <summary>The recognition decision's number (số quyết định).</summary>
    public string DocumentNumber { get; private set; } = "";
    /// <summary>The minutes' number (số biên bản), from their own sequence (<see cref="DocumentNumbering"/>); null on results
    /// approved before minutes were numbered separately, which print the decision's number as they always did.</summary>
    public string? MinutesNumber { get; private set; }
    public DateTimeOffset ApprovedAt { get; private set; }
    public string? ApprovedBy { get; private set; }
    public string ApprovedByName { get; private set; } = "";
    /// <summary>For a re-approval: which criterion was reopened and why.</summary>
    public string? Note { get; private set; }
    public string? MinutesKey { get; private set; }
    public string? DecisionKey { get; private set; }
    public string? DocumentsError { get; private set; }

    public void AttachDocuments(string? minutesKey, string? decisionKey, string? error)
    {
        MinutesKey = minutesKey;
        DecisionKey = decisionKey;
        DocumentsError = error;
    }
}

/// <summary>One criterion (or group) of a recognised result, as stored in <see cref="RecognisedResult.ResultJson"/>.</summary>
public sealed record ResultRow(
    string Code, string Name, int Depth, bool IsGroup, decimal Max,
    decimal SelfPoints, decimal AppraisedPoints, decimal AchievedPoints,
    int? SelfLevelMet, int? AppraisedLevelMet, int? AchievedLevelMet, string? Note);

/// <summary>
/// The cohort a round's peer-relative criteria were scored against at one approval, frozen (JSON: assessment id →
/// values), so that later changes elsewhere never move an approved score. Round-level data holding other units' figures:
/// read only by the approval service as the system, never shown.
/// </summary>
public sealed class ScoreSnapshot
{
    private ScoreSnapshot() { } // EF

    public ScoreSnapshot(Guid id, int roundId, DateTimeOffset takenAt, int unitCount, string cohortJson)
    {
        Id = id;
        RoundId = roundId;
        TakenAt = takenAt;
        UnitCount = unitCount;
        CohortJson = cohortJson;
    }

    public Guid Id { get; private set; }
    public int RoundId { get; private set; }
    public DateTimeOffset TakenAt { get; private set; }
    public int UnitCount { get; private set; }
    public string CohortJson { get; private set; } = "{}";
}

/// <summary>
/// The last number given to one kind of document in one round (the minutes' own register; decisions keep using
/// <c>assessment_rounds.last_document_number</c>). Incremented with an upsert under the row lock, so concurrent approvals
/// get different numbers.
/// </summary>
public sealed class DocumentCounter
{
    public const string MinutesKind = "minutes";

    private DocumentCounter() { } // EF

    public int RoundId { get; private set; }
    public string Kind { get; private set; } = "";
    public int LastNumber { get; private set; }
}

/// <summary>Which council member appraises which criterion in a round (assigned by the chair or the secretary).</summary>
public sealed class CouncilAssignment
{
    private CouncilAssignment() { } // EF

    public CouncilAssignment(int roundId, string criterionCode, string userId, string userName)
    {
        RoundId = roundId;
        CriterionCode = criterionCode;
        UserId = userId;
        UserName = userName;
    }

    public int Id { get; private set; }
    public int RoundId { get; private set; }
    public string CriterionCode { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public string UserName { get; private set; } = "";

    public void Reassign(string userId, string userName)
    {
        UserId = userId;
        UserName = userName;
    }
}

/// <summary>Names of the history steps that are not workflow transitions.</summary>
public static class ReviewActions
{
    public const string ReopenCriterion = "ReopenCriterion";
    public const string ReapproveCriterion = "ReapproveCriterion";
    /// <summary>A published result corrected after publication, published again (<see cref="PublishRound"/>).</summary>
    public const string Republish = "Republish";
    public const string RepublishName = "Công bố lại kết quả";

    public static string Name(string action) => action switch
    {
        ReopenCriterion => "Mở lại tiêu chí",
        ReapproveCriterion => "Phê duyệt lại tiêu chí",
        Republish => RepublishName,
        _ => Enum.TryParse<WorkflowAction>(action, out var a) ? AssessmentWorkflow.ActionName(a) : action,
    };
}

internal sealed class ReviewConfigurations :
    IEntityTypeConfiguration<CriterionAppraisal>, IEntityTypeConfiguration<ReviewComment>, IEntityTypeConfiguration<WorkflowStep>,
    IEntityTypeConfiguration<CouncilVote>, IEntityTypeConfiguration<RecognisedResult>, IEntityTypeConfiguration<ScoreSnapshot>,
    IEntityTypeConfiguration<CouncilAssignment>, IEntityTypeConfiguration<DocumentCounter>
{
    public void Configure(EntityTypeBuilder<DocumentCounter> b)
    {
        b.ToTable("document_counters");
        b.HasKey(x => new { x.RoundId, x.Kind });
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(16);
        b.Property(x => x.LastNumber).HasColumnName("last_number");
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<CriterionAppraisal> b)
    {
        b.ToTable("criterion_appraisals");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64).IsRequired();
        b.Property(x => x.Tier).HasColumnName("tier").HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Verdict).HasColumnName("verdict").HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.CorrectedValuesJson).HasColumnName("corrected_values").HasColumnType("jsonb");
        b.Property(x => x.CorrectedPoints).HasColumnName("corrected_points").HasPrecision(12, 4);
        b.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(AppraisalRules.MaxReasonLength);
        b.Property(x => x.Cycle).HasColumnName("cycle");
        b.Property(x => x.ReviewedBy).HasColumnName("reviewed_by").HasMaxLength(450);
        b.Property(x => x.ReviewedByName).HasColumnName("reviewed_by_name").HasMaxLength(256);
        b.Property(x => x.ReviewedAt).HasColumnName("reviewed_at");
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.HasIndex(x => new { x.AssessmentId, x.CriterionCode, x.Tier }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ReviewComment> b)
    {
        b.ToTable("review_comments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64);
        b.Property(x => x.Text).HasColumnName("text").HasMaxLength(ReviewComment.MaxLength).IsRequired();
        b.Property(x => x.Cycle).HasColumnName("cycle");
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.AuthorId).HasColumnName("author_id").HasMaxLength(450);
        b.Property(x => x.AuthorName).HasColumnName("author_name").HasMaxLength(256);
        b.Property(x => x.AuthorRole).HasColumnName("author_role").HasMaxLength(128);
        b.HasIndex(x => new { x.AssessmentId, x.CriterionCode });
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<WorkflowStep> b)
    {
        b.ToTable("workflow_steps");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.Action).HasColumnName("action").HasMaxLength(40).IsRequired();
        b.Property(x => x.FromStatus).HasColumnName("from_status").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.ToStatus).HasColumnName("to_status").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(4000);
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64);
        b.Property(x => x.Cycle).HasColumnName("cycle");
        b.Property(x => x.At).HasColumnName("at");
        b.Property(x => x.ActorId).HasColumnName("actor_id").HasMaxLength(450);
        b.Property(x => x.ActorName).HasColumnName("actor_name").HasMaxLength(256);
        b.Property(x => x.ValuesJson).HasColumnName("values_snapshot").HasColumnType("jsonb");
        b.HasIndex(x => new { x.AssessmentId, x.At });
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<CouncilVote> b)
    {
        b.ToTable("council_votes");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.Cycle).HasColumnName("cycle");
        b.Property(x => x.UserId).HasColumnName("user_id").HasMaxLength(450).IsRequired();
        b.Property(x => x.UserName).HasColumnName("user_name").HasMaxLength(256);
        b.Property(x => x.RoleName).HasColumnName("role_name").HasMaxLength(128);
        b.Property(x => x.Agrees).HasColumnName("agrees");
        b.Property(x => x.Comment).HasColumnName("comment").HasMaxLength(2000);
        b.Property(x => x.At).HasColumnName("at");
        b.HasIndex(x => new { x.AssessmentId, x.Cycle, x.UserId }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RecognisedResult> b)
    {
        b.ToTable("recognised_results");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.Version).HasColumnName("version");
        b.Property(x => x.SnapshotId).HasColumnName("snapshot_id");
        b.Property(x => x.SelfTotal).HasColumnName("self_total").HasPrecision(12, 4);
        b.Property(x => x.AppraisedTotal).HasColumnName("appraised_total").HasPrecision(12, 4);
        b.Property(x => x.Total).HasColumnName("total").HasPrecision(12, 4);
        b.Property(x => x.SelfLevel).HasColumnName("self_level");
        b.Property(x => x.Level).HasColumnName("level");
        b.Property(x => x.ResultJson).HasColumnName("result").HasColumnType("jsonb").IsRequired();
        b.Property(x => x.DocumentNumber).HasColumnName("document_number").HasMaxLength(64);
        b.Property(x => x.MinutesNumber).HasColumnName("minutes_number").HasMaxLength(64);
        b.Property(x => x.ApprovedAt).HasColumnName("approved_at");
        b.Property(x => x.ApprovedBy).HasColumnName("approved_by").HasMaxLength(450);
        b.Property(x => x.ApprovedByName).HasColumnName("approved_by_name").HasMaxLength(256);
        b.Property(x => x.Note).HasColumnName("note").HasMaxLength(4000);
        b.Property(x => x.MinutesKey).HasColumnName("minutes_key").HasMaxLength(300);
        b.Property(x => x.DecisionKey).HasColumnName("decision_key").HasMaxLength(300);
        b.Property(x => x.DocumentsError).HasColumnName("documents_error").HasMaxLength(2000);
        b.HasIndex(x => new { x.AssessmentId, x.Version }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<ScoreSnapshot> b)
    {
        b.ToTable("score_snapshots");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.TakenAt).HasColumnName("taken_at");
        b.Property(x => x.UnitCount).HasColumnName("unit_count");
        b.Property(x => x.CohortJson).HasColumnName("cohort").HasColumnType("jsonb").IsRequired();
        b.HasIndex(x => x.RoundId);
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<CouncilAssignment> b)
    {
        b.ToTable("council_assignments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64).IsRequired();
        b.Property(x => x.UserId).HasColumnName("user_id").HasMaxLength(450).IsRequired();
        b.Property(x => x.UserName).HasColumnName("user_name").HasMaxLength(256);
        b.HasIndex(x => new { x.RoundId, x.CriterionCode }).IsUnique();
        b.HasOne<AssessmentRound>().WithMany().HasForeignKey(x => x.RoundId).OnDelete(DeleteBehavior.Cascade);
    }
}
