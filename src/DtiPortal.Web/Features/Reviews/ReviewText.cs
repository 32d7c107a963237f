using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using DtiPortal.Web.Features.Assessments;

namespace DtiPortal.Web.Features.Reviews;

/// <summary>The Vietnamese words of the review pages: times in Vietnam time, levels, points, verdicts.</summary>
public static class ReviewText
{
    /// <summary>"22/11/2026 09:12" in Vietnam time.</summary>
    public static string Time(DateTimeOffset at) => at.ToVietnam().ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string? Time(DateTimeOffset? at) => at is { } t ? Time(t) : null;

    public static string Points(decimal value) => VnFormat.Number(value);

    /// <summary>"Mức 3 – Cơ bản", "Chưa đạt mức 1", or "—": the one wording of every page (<see cref="DisplayedScore.LevelText"/>).</summary>
    public static string Level(CriteriaSet set, int? level) => DisplayedScore.LevelText(level, set.Levels);

    /// <summary>A short level for a table cell: "Mức 3", "Chưa đạt mức 1", "—".</summary>
    public static string ShortLevel(int? level) => level switch
    {
        null => "—",
        <= 0 => DisplayedScore.LevelText(0, []),
        var l => $"Mức {l}",
    };

    /// <summary>What a criterion meets: "đáp ứng đến mức 3", "chưa đáp ứng mức 1".</summary>
    public static string LevelMet(int? met) => met switch
    {
        null => "—",
        0 => "chưa đáp ứng mức 1",
        var l => $"đáp ứng đến mức {l}",
    };

    public static string Status(AssessmentStatus status) => AssessmentText.Status(status);

    public static string StatusClass(AssessmentStatus status) => "status-badge status-" + status.ToString().ToLowerInvariant();

    public static string Verdict(AppraisalVerdict verdict) => AppraisalRules.VerdictName(verdict);

    public static string Tier(ReviewTier tier) => AppraisalRules.TierName(tier);

    public static string Action(WorkflowAction action) => AssessmentWorkflow.ActionName(action);

    /// <summary>Accent-insensitive search: "lac dao" finds "Lạc Đạo".</summary>
    public static bool Matches(string text, string? query) =>
        string.IsNullOrWhiteSpace(query) || VietnameseText.Fold(text).Contains(VietnameseText.Fold(query), StringComparison.Ordinal);

    /// <summary>An id usable in an HTML id / anchor for a criterion code ("1.2" → "rc-1-2").</summary>
    public static string Anchor(string code) => "rc-" + code.Replace('.', '-').Replace(' ', '-');

    /// <summary>The statuses a reviewer can filter on (drafts never reach the queue).</summary>
    public static IReadOnlyList<AssessmentStatus> QueueStatuses { get; } =
        [.. Enum.GetValues<AssessmentStatus>().Where(s => s != AssessmentStatus.Draft)];

    /// <summary>"Biên bản thẩm định" / "Quyết định công nhận" and their URL segment.</summary>
    public static string DocumentName(ReviewDocumentKind kind) => kind == ReviewDocumentKind.AppraisalMinutes ? "Biên bản thẩm định" : "Quyết định công nhận";

    public static string DocumentUrl(int assessmentId, ReviewDocumentKind kind, int? version = null) =>
        $"/api/van-ban/{assessmentId}/{(kind == ReviewDocumentKind.AppraisalMinutes ? "bien-ban" : "quyet-dinh")}" +
        (version is { } v ? "?v=" + v.ToString(CultureInfo.InvariantCulture) : "");
}
