using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Reviews;

namespace DtiPortal.Web.Features.Reviews;

/// <summary>
/// What a reviewer has typed for one criterion and not saved yet. Owned by the page (one per criterion), so a reload of the
/// model, a filter that hides the card or another part of the page re-rendering never loses it.
/// </summary>
public sealed class AppraisalDraft
{
    public AppraisalVerdict? Verdict { get; set; }
    public Dictionary<string, string?> Inputs { get; } = new(StringComparer.Ordinal);
    public string? Points { get; set; }

    // One reason per verdict: a reason is given with a verdict ("Điều chỉnh", "Yêu cầu bổ sung"), so switching to another
    // verdict never carries it over, and switching back shows what was typed for that verdict. "Chấp nhận" has none.
    private readonly Dictionary<AppraisalVerdict, string?> _reasons = [];

    /// <summary>The reason typed for the chosen verdict (none for "Chấp nhận" or before a verdict is chosen).</summary>
    public string? Reason
    {
        get => Verdict is { } v && NeedsReason(v) ? _reasons.GetValueOrDefault(v) : null;
        set { if (Verdict is { } v && NeedsReason(v)) _reasons[v] = value; }
    }

    /// <summary>Whether a verdict carries a reason (and the form shows the field).</summary>
    public static bool NeedsReason(AppraisalVerdict verdict) => verdict is AppraisalVerdict.Corrected or AppraisalVerdict.NeedsFix;
    /// <summary>The user changed something since the last load or save.</summary>
    public bool Dirty { get; set; }
    public bool Saving { get; set; }
    public string? Error { get; set; }
    public string? Message { get; set; }

    /// <summary>Takes the recorded appraisal of the reviewer's tier, unless the user is in the middle of typing.</summary>
    public void Load(AppraisalView? recorded)
    {
        if (Dirty) return;
        Verdict = recorded?.Verdict;
        Inputs.Clear();
        if (recorded is not null)
            foreach (var (address, value) in recorded.CorrectedValues) Inputs[address] = value;
        Points = recorded?.CorrectedPoints is { } p ? ReviewText.Points(p) : null;
        _reasons.Clear();
        if (recorded is not null && NeedsReason(recorded.Verdict)) _reasons[recorded.Verdict] = recorded.Reason;
    }

    public AppraisalInput ToInput()
    {
        var corrected = Verdict == AppraisalVerdict.Corrected
            ? Inputs.Where(i => !string.IsNullOrWhiteSpace(i.Value)).ToDictionary(i => i.Key, i => (string?)i.Value!.Trim(), StringComparer.Ordinal)
            : null;
        return new AppraisalInput(Verdict ?? AppraisalVerdict.Accepted,
            corrected is { Count: > 0 } ? corrected : null,
            Verdict == AppraisalVerdict.Corrected && !string.IsNullOrWhiteSpace(Points) ? Points.Trim() : null,
            string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim());
    }
}

/// <summary>A comment being typed (kept by the page for the same reason as <see cref="AppraisalDraft"/>).</summary>
public sealed class TextDraft
{
    public string Text { get; set; } = "";
    public bool Sending { get; set; }
    public string? Error { get; set; }
}
