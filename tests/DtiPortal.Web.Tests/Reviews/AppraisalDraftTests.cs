using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Reviews;
using DtiPortal.Web.Features.Reviews;

namespace DtiPortal.Web.Tests.Reviews;

/// <summary>The review form's draft: a reason belongs to the verdict it was typed with (issue 15).</summary>
public sealed class AppraisalDraftTests
{
    private static AppraisalView Recorded(AppraisalVerdict verdict, string? reason) =>
        new(ReviewTier.District, verdict, reason, null, new Dictionary<string, string?>(), "Lê Minh Tuấn", DateTimeOffset.UtcNow, 1, 1);

    [Fact]
    public void ChoosingAcceptedAfterNeedsFix_ShowsAndSendsNoReason_AndSwitchingBackRestoresIt()
    {
        var draft = new AppraisalDraft();
        draft.Load(Recorded(AppraisalVerdict.NeedsFix, "Thiếu biên bản họp"));
        Assert.Equal("Thiếu biên bản họp", draft.Reason);

        draft.Verdict = AppraisalVerdict.Accepted;
        Assert.Null(draft.Reason);
        Assert.Null(draft.ToInput().Reason);
        draft.Reason = "gõ nhầm khi đang chấp nhận"; // ignored: "Chấp nhận" has no reason field
        Assert.Null(draft.ToInput().Reason);

        draft.Verdict = AppraisalVerdict.Corrected;
        Assert.Null(draft.Reason); // a correction's reason starts empty, never the "needs fix" one
        draft.Reason = "Chỉ có 8 cuộc họp";
        draft.Verdict = AppraisalVerdict.NeedsFix;
        Assert.Equal("Thiếu biên bản họp", draft.Reason);
        draft.Verdict = AppraisalVerdict.Corrected;
        Assert.Equal("Chỉ có 8 cuộc họp", draft.ToInput().Reason);
    }

    [Fact]
    public void LoadingAnAcceptedAppraisal_WithAStaleStoredReason_LeavesNoReasonBehind()
    {
        var draft = new AppraisalDraft();
        draft.Load(Recorded(AppraisalVerdict.Accepted, "lý do cũ"));
        draft.Verdict = AppraisalVerdict.NeedsFix;
        Assert.Null(draft.Reason);
    }
}
