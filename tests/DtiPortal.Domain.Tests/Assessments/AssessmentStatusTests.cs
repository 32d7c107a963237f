using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;

namespace DtiPortal.Domain.Tests.Assessments;

public sealed class AssessmentStatusTests
{
    [Fact]
    public void Members_AreTheTextsStoredInAssessmentsStatus()
    {
        // The column stores the member names (HasConversion<string>): renaming one needs a migration of the stored rows.
        Assert.Equal(
            ["Draft", "Submitted", "UnderDistrictReview", "Returned", "Forwarded", "UnderCouncilAppraisal", "Approved", "Published"],
            Enum.GetNames<AssessmentStatus>());
    }

    [Fact]
    public void Name_GivesEveryStateItsOwnVietnameseName()
    {
        var names = Enum.GetValues<AssessmentStatus>().Select(s => s.Name()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.DoesNotContain(names, n => Enum.GetNames<AssessmentStatus>().Contains(n));
        Assert.Equal("Bị trả lại để bổ sung", AssessmentWorkflow.StateName(AssessmentStatus.Returned));
    }

    [Theory]
    [InlineData(AssessmentStatus.Draft, true)]
    [InlineData(AssessmentStatus.Returned, true)]
    [InlineData(AssessmentStatus.Submitted, false)]
    [InlineData(AssessmentStatus.Approved, false)]
    public void AwaitingEntry_IsTrueExactlyWhenTheTableOffersTheUnitASubmission(AssessmentStatus status, bool expected)
    {
        Assert.Equal(expected, status.AwaitingEntry());
        var submits = AssessmentWorkflow.Allowed(status, [AssessmentWorkflow.RoleNames.CommuneOfficer], hasDistrictTier: false)
            .Any(a => a is WorkflowAction.Submit or WorkflowAction.Resubmit);
        Assert.Equal(expected, submits);
    }
}
