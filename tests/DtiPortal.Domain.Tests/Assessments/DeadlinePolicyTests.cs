using DtiPortal.Domain.Assessments;

namespace DtiPortal.Domain.Tests.Assessments;

public class DeadlinePolicyTests
{
    private static readonly DateOnly Deadline = new(2026, 12, 11);

    private static DeadlineFacts Facts(DateOnly? extension = null, bool allowLate = false, DateOnly? returnedOn = null, int resubmitDays = 10) =>
        new(Deadline, extension, allowLate, returnedOn, resubmitDays);

    [Fact]
    public void OnTheDeadlineDay_IsOnTime()
    {
        var d = DeadlinePolicy.Decide(Facts(), Deadline);
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.Round, Deadline, 0), (d.Verdict, d.Basis, d.Deadline, d.DaysLate));
        Assert.Null(d.RefusalMessage);
    }

    [Fact]
    public void TheDayAfter_IsRefused_WithTheDeadlineInTheMessage()
    {
        var d = DeadlinePolicy.Decide(Facts(), Deadline.AddDays(1));
        Assert.Equal(DeadlineVerdict.Refused, d.Verdict);
        Assert.False(d.Allowed);
        Assert.Contains("(11/12/2026)", d.RefusalMessage);
        Assert.Contains("quá hạn nhập và nộp", d.RefusalMessage);
    }

    [Fact]
    public void SevenHundredTwentyFiveDaysLate_IsRefused_NotAcceptedSilently()
    {
        var d = DeadlinePolicy.Decide(Facts(), Deadline.AddDays(725));
        Assert.Equal((DeadlineVerdict.Refused, 725), (d.Verdict, d.DaysLate));
    }

    [Fact]
    public void AUnitExtension_MovesTheDeadline_ForThatUnit()
    {
        var ext = Deadline.AddDays(5);
        var d = DeadlinePolicy.Decide(Facts(extension: ext), Deadline.AddDays(5));
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.UnitExtension, ext), (d.Verdict, d.Basis, d.Deadline!.Value));
        var after = DeadlinePolicy.Decide(Facts(extension: ext), Deadline.AddDays(6));
        Assert.Equal(DeadlineVerdict.Refused, after.Verdict);
        Assert.Contains("hạn được gia hạn cho đơn vị (16/12/2026)", after.RefusalMessage);
    }

    [Fact]
    public void AnExtensionEarlierThanTheRoundDeadline_DoesNotShortenIt()
    {
        // The round was extended past the unit's own extension: the later date wins.
        var d = DeadlinePolicy.Decide(Facts(extension: Deadline.AddDays(-3)), Deadline);
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.Round), (d.Verdict, d.Basis));
    }

    [Fact]
    public void AllowLate_AcceptsAfterTheDeadline_CountingTheDays()
    {
        var d = DeadlinePolicy.Decide(Facts(allowLate: true), Deadline.AddDays(3));
        Assert.Equal((DeadlineVerdict.Late, 3), (d.Verdict, d.DaysLate));
        Assert.True(d.Allowed);
        Assert.Null(d.RefusalMessage);
        Assert.Equal("Nộp muộn 3 ngày", DeadlinePolicy.LateLabel(d.DaysLate));
    }

    [Fact]
    public void AllowLate_WithAnExtension_CountsFromTheExtension()
    {
        var d = DeadlinePolicy.Decide(Facts(extension: Deadline.AddDays(10), allowLate: true), Deadline.AddDays(12));
        Assert.Equal((DeadlineVerdict.Late, DeadlineBasis.UnitExtension, 2), (d.Verdict, d.Basis, d.DaysLate));
    }

    [Fact]
    public void AReturnAfterTheDeadline_GivesItsOwnWindow()
    {
        var returned = Deadline.AddDays(20);
        var inside = DeadlinePolicy.Decide(Facts(returnedOn: returned, resubmitDays: 10), returned.AddDays(10));
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.ReturnWindow, returned.AddDays(10)), (inside.Verdict, inside.Basis, inside.Deadline!.Value));
        var outside = DeadlinePolicy.Decide(Facts(returnedOn: returned, resubmitDays: 10), returned.AddDays(11));
        Assert.Equal(DeadlineVerdict.Refused, outside.Verdict);
        Assert.Contains("hạn bổ sung sau khi bị trả lại (10/01/2027)", outside.RefusalMessage);
    }

    [Fact]
    public void AReturnWindow_NeverEndsBeforeTheEntryDeadline()
    {
        var d = DeadlinePolicy.Decide(Facts(returnedOn: Deadline.AddDays(-30), resubmitDays: 5), Deadline);
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.Round, Deadline), (d.Verdict, d.Basis, d.Deadline!.Value));
    }

    [Fact]
    public void ZeroResubmitDays_ExemptsReturnedAssessments()
    {
        var d = DeadlinePolicy.Decide(Facts(returnedOn: Deadline.AddDays(1), resubmitDays: 0), Deadline.AddDays(400));
        Assert.Equal((DeadlineVerdict.OnTime, DeadlineBasis.ReturnExempt, (DateOnly?)null), (d.Verdict, d.Basis, d.Deadline));
    }

    [Fact]
    public void ZeroResubmitDays_DoesNotExemptADraft()
    {
        var d = DeadlinePolicy.Decide(Facts(resubmitDays: 0), Deadline.AddDays(1));
        Assert.Equal(DeadlineVerdict.Refused, d.Verdict);
    }

    [Fact]
    public void AssessmentRules_RefuseEditAndSubmit_AfterTheDeadline()
    {
        var refused = DeadlinePolicy.Decide(Facts(), Deadline.AddDays(1));
        Assert.Equal(refused.RefusalMessage, AssessmentRules.WhyCannotEdit(awaitingEntry: true, roundOpen: true, refused));
        var ex = Assert.Throws<DomainException>(() => AssessmentRules.Submit(true, true, null, Guid.NewGuid(), refused));
        Assert.Contains("11/12/2026", ex.Message);
        var late = DeadlinePolicy.Decide(Facts(allowLate: true), Deadline.AddDays(1));
        Assert.Null(AssessmentRules.WhyCannotEdit(true, true, late));
        Assert.Equal(SubmitOutcome.Submitted, AssessmentRules.Submit(true, true, null, Guid.NewGuid(), late));
        // A submitted assessment is read-only whatever the deadline says: that message comes first.
        Assert.Equal(AssessmentRules.ReadOnlyMessage, AssessmentRules.WhyCannotEdit(false, true, refused));
    }
}
