using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Assessments;

/// <summary>What a submit request does to an assessment (see <see cref="AssessmentRules.Submit"/>).</summary>
public enum SubmitOutcome
{
    /// <summary>The assessment is submitted now.</summary>
    Submitted,
    /// <summary>The same request (same idempotency key) already submitted it: nothing changes.</summary>
    AlreadySubmitted,
}

/// <summary>
/// The data-entry rules of an assessment (issue 5), free of EF so they run as plain cases. The application's
/// <c>Assessment</c> entity calls them; its workflow states are the contract's <c>AssessmentStatus</c>, of which these
/// rules only need to know whether the unit still has the figures in hand (Draft, or Returned by the reviewer).
/// </summary>
public static class AssessmentRules
{
    public const string ReadOnlyMessage = "Bản đánh giá đã nộp nên không thể sửa; nếu cần sửa, đề nghị cấp thẩm tra trả lại.";
    public const string RoundClosedMessage = "Đợt đánh giá đã khóa, không thể nhập hoặc nộp số liệu.";

    /// <summary>
    /// Idempotent submission. A unit that still has the figures (<paramref name="awaitingEntry"/>) submits; a request
    /// carrying the key that already submitted is answered "already submitted" (a double click, a retry after a lost
    /// response); anything else is refused with a Vietnamese message.
    /// </summary>
    public static SubmitOutcome Submit(bool awaitingEntry, bool roundOpen, Guid? submittedWith, Guid key, DeadlineDecision? deadline = null)
    {
        if (key == Guid.Empty) throw new DomainException("Thiếu mã chống gửi trùng (idempotency key).");
        if (submittedWith == key && !awaitingEntry) return SubmitOutcome.AlreadySubmitted;
        if (!awaitingEntry) throw new DomainException("Bản đánh giá đã được nộp trước đó.");
        if (!roundOpen) throw new DomainException(RoundClosedMessage);
        if (deadline?.RefusalMessage is { } late) throw new DomainException(late);
        return SubmitOutcome.Submitted;
    }

    /// <summary>
    /// Why the unit may not change its figures now, or null when it may. <paramref name="deadline"/> is the
    /// <see cref="DeadlinePolicy"/>'s answer for today (null: not checked, e.g. the seeding jobs).
    /// </summary>
    public static string? WhyCannotEdit(bool awaitingEntry, bool roundOpen, DeadlineDecision? deadline = null) =>
        !awaitingEntry ? ReadOnlyMessage : !roundOpen ? RoundClosedMessage : deadline?.RefusalMessage;

    public static bool CanEdit(bool awaitingEntry, bool roundOpen, DeadlineDecision? deadline = null) => WhyCannotEdit(awaitingEntry, roundOpen, deadline) is null;

    /// <summary>
    /// Checks a registered target level (seed 002 §II.2: register a target level, then self-assess): only for a set
    /// that recognises levels, and only one of its levels (1..5 in 2361). Throws <see cref="DomainException"/>.
    /// </summary>
    public static void CheckTargetLevel(int level, IReadOnlyList<MaturityLevel> levels)
    {
        if (levels.Count == 0)
            throw new DomainException("Bộ chỉ số của đợt này không xếp mức chuyển đổi số nên không đăng ký mức mục tiêu.");
        if (levels.All(l => l.Level != level))
            throw new DomainException($"Mức mục tiêu phải từ {levels.Min(l => l.Level)} đến {levels.Max(l => l.Level)}.");
    }
}
