namespace DtiPortal.Domain.Assessments;

/// <summary>What the deadline allows today (see <see cref="DeadlinePolicy"/>).</summary>
public enum DeadlineVerdict
{
    /// <summary>On or before the deadline that applies (or no deadline applies): entry and submission as usual.</summary>
    OnTime,
    /// <summary>After the deadline, but the round accepts late submissions: allowed, and the submission is marked "nộp muộn".</summary>
    Late,
    /// <summary>After the deadline: entry and submission are refused.</summary>
    Refused,
}

/// <summary>Which deadline applies to a unit.</summary>
public enum DeadlineBasis
{
    /// <summary>The round's entry deadline (as the round admin last set it: extending the round moves it).</summary>
    Round,
    /// <summary>A later date given to this one unit (an extension with a reason).</summary>
    UnitExtension,
    /// <summary>A returned assessment's own resubmission window (so many days from the return).</summary>
    ReturnWindow,
    /// <summary>A returned assessment in a round whose returns have no deadline.</summary>
    ReturnExempt,
}

/// <summary>
/// What the deadline rule needs to know about one assessment.
/// <paramref name="ReturnedOn"/>: the day (Vietnam time) it was returned to the unit, while it is Returned; null otherwise.
/// <paramref name="ResubmitDays"/>: the round's resubmission window after a return; 0 means returns are exempt from deadlines.
/// </summary>
public sealed record DeadlineFacts(DateOnly RoundDeadline, DateOnly? UnitExtension, bool AllowLate, DateOnly? ReturnedOn, int ResubmitDays);

/// <summary>The answer: allowed on time, allowed late (by <see cref="DaysLate"/> days) or refused, and which deadline applied.</summary>
public sealed record DeadlineDecision(DeadlineVerdict Verdict, DeadlineBasis Basis, DateOnly? Deadline, int DaysLate)
{
    public bool Allowed => Verdict != DeadlineVerdict.Refused;

    /// <summary>The refusal as the unit reads it, naming the deadline (dd/MM/yyyy); null when allowed.</summary>
    public string? RefusalMessage => Verdict == DeadlineVerdict.Refused ? DeadlinePolicy.RefusalMessage(Basis, Deadline!.Value) : null;
}

/// <summary>
/// The deadline rule of issue 15 ("deadlines mean something"), free of I/O. A deadline is the last day entry and
/// submission are on time (inclusive, Vietnam's calendar day). The deadline that applies is the round's entry deadline,
/// or the unit's own extension when it is later; a returned assessment gets its own window of the round's
/// <see cref="DeadlineFacts.ResubmitDays"/> days from the return (never ending before the unit's entry deadline), or
/// none at all when the round sets 0 days (returns exempt). After that day the round's "Cho phép nộp muộn" setting decides
/// between accepting the submission as late (counting the days) and refusing entry and submission.
/// </summary>
public static class DeadlinePolicy
{
    public static DeadlineDecision Decide(DeadlineFacts facts, DateOnly today)
    {
        var (deadline, basis) = facts.UnitExtension is { } ext && ext > facts.RoundDeadline
            ? (ext, DeadlineBasis.UnitExtension)
            : (facts.RoundDeadline, DeadlineBasis.Round);
        if (facts.ReturnedOn is { } returned)
        {
            if (facts.ResubmitDays <= 0) return new DeadlineDecision(DeadlineVerdict.OnTime, DeadlineBasis.ReturnExempt, null, 0);
            var window = returned.AddDays(facts.ResubmitDays);
            if (window > deadline) (deadline, basis) = (window, DeadlineBasis.ReturnWindow);
        }
        if (today <= deadline) return new DeadlineDecision(DeadlineVerdict.OnTime, basis, deadline, 0);
        var days = today.DayNumber - deadline.DayNumber;
        return facts.AllowLate
            ? new DeadlineDecision(DeadlineVerdict.Late, basis, deadline, days)
            : new DeadlineDecision(DeadlineVerdict.Refused, basis, deadline, days);
    }

    public static string RefusalMessage(DeadlineBasis basis, DateOnly deadline)
    {
        var date = VietnamTime.Date(deadline);
        var what = basis switch
        {
            DeadlineBasis.UnitExtension => $"Đã quá hạn được gia hạn cho đơn vị ({date})",
            DeadlineBasis.ReturnWindow => $"Đã quá hạn bổ sung sau khi bị trả lại ({date})",
            _ => $"Đã quá hạn nhập và nộp số liệu của đợt đánh giá ({date})",
        };
        return what + ": không thể nhập, tải tài liệu kiểm chứng hoặc nộp bản đánh giá. " +
               "Nếu cần, đề nghị quản trị cấp tỉnh gia hạn đợt đánh giá hoặc cơ quan thẩm tra gia hạn riêng cho đơn vị.";
    }

    /// <summary>The late mark shown wherever the assessment appears: "Nộp muộn 3 ngày".</summary>
    public static string LateLabel(int days) => $"Nộp muộn {days} ngày";

    /// <summary>Which deadline a queue or a header shows, in words ("Hạn nộp", "Hạn bổ sung", "Hạn được gia hạn").</summary>
    public static string BasisLabel(DeadlineBasis basis) => basis switch
    {
        DeadlineBasis.UnitExtension => "Hạn nộp (đã gia hạn cho đơn vị)",
        DeadlineBasis.ReturnWindow => "Hạn nộp bổ sung",
        DeadlineBasis.ReturnExempt => "Bổ sung không giới hạn thời gian",
        _ => "Hạn nộp",
    };
}
