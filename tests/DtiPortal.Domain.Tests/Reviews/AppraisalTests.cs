using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Reviews;

public class AppraisalTests
{
    [Theory]
    [InlineData(AppraisalVerdict.Accepted, false, null, null)]
    [InlineData(AppraisalVerdict.Accepted, false, "ghi chú", null)]
    [InlineData(AppraisalVerdict.Accepted, true, "x", "Đã chấp nhận thì không kèm số liệu điều chỉnh.")]
    [InlineData(AppraisalVerdict.Corrected, true, "Biên bản ghi 8 cuộc họp", null)]
    [InlineData(AppraisalVerdict.Corrected, true, " ", AppraisalRules.ReasonRequired)]
    [InlineData(AppraisalVerdict.Corrected, false, "lý do", AppraisalRules.NothingCorrected)]
    [InlineData(AppraisalVerdict.NeedsFix, false, "Thiếu tài liệu kiểm chứng", null)]
    [InlineData(AppraisalVerdict.NeedsFix, false, null, AppraisalRules.ReasonRequired)]
    public void Check_GivesTheVietnameseReason_OrNothing(AppraisalVerdict verdict, bool hasCorrections, string? reason, string? expected) =>
        Assert.Equal(expected, AppraisalRules.Check(verdict, hasCorrections, reason));

    [Fact]
    public void Check_RefusesAnOverlongReason() =>
        Assert.NotNull(AppraisalRules.Check(AppraisalVerdict.NeedsFix, false, new string('a', AppraisalRules.MaxReasonLength + 1)));

    [Theory]
    [InlineData(AssessmentStatus.Draft, new string[0], "1.1", true)]
    [InlineData(AssessmentStatus.Returned, new string[0], "1.1", true)]          // everything returned
    [InlineData(AssessmentStatus.Returned, new[] { "1.2" }, "1.2", true)]
    [InlineData(AssessmentStatus.Returned, new[] { "1.2" }, "1.1", false)]
    [InlineData(AssessmentStatus.Submitted, new string[0], "1.1", false)]
    [InlineData(AssessmentStatus.UnderDistrictReview, new string[0], "1.1", false)]
    [InlineData(AssessmentStatus.Approved, new string[0], "1.1", false)]
    [InlineData(AssessmentStatus.Published, new string[0], "1.1", false)]
    public void CanChangeCriterion_OnlyDraftsAndWhatWasReturned(AssessmentStatus state, string[] returned, string criterion, bool expected) =>
        Assert.Equal(expected, AppraisalRules.CanChangeCriterion(state, returned, criterion));

    [Fact]
    public void GeneralInformation_OpensAgainOnlyWhenEverythingWasReturned()
    {
        Assert.True(AppraisalRules.CanChangeGeneral(AssessmentStatus.Draft, []));
        Assert.True(AppraisalRules.CanChangeGeneral(AssessmentStatus.Returned, []));
        Assert.False(AppraisalRules.CanChangeGeneral(AssessmentStatus.Returned, ["1.2"]));
        Assert.False(AppraisalRules.CanChangeGeneral(AssessmentStatus.Submitted, []));
    }

    private const string TwoCriteria = """
        format: dti-criteria/1
        id: test-set
        version: 1
        name: Bộ thử
        level: commune
        decision: { number: 1/QĐ-TEST, date: 2024-01-01, issuer: Bộ thử nghiệm }
        maxPoints: 30
        tree:
          - code: "1"
            name: Nhóm
            max: 30
            children:
              - { code: "1.1", name: Có kế hoạch, max: 10, method: yesno }
              - code: "1.2"
                name: Tỷ lệ hồ sơ trực tuyến
                max: 20
                method: ratio
                ratio: a/b
                inputs:
                  - { key: a, label: Số hồ sơ trực tuyến }
                  - { key: b, label: Tổng số hồ sơ }
        """;

    [Fact]
    public void AppraisersPoints_ReplaceTheComputedOnes_AndTheGroupsAreSummedAgain()
    {
        var set = TestSets.Load(TwoCriteria);
        var values = TestSets.V(("1.1", true), ("1.2.a", 50), ("1.2.b", 100));
        var computed = ScoringEngine.Score(set, [new UnitValues("x", values)]).Units[0];
        Assert.Equal(20m, computed.Total);

        var appraised = ScoringEngine.Score(set, [new UnitValues("x", values, null, new Dictionary<string, decimal> { ["1.2"] = 4 })]).Units[0];
        Assert.Equal(4m, appraised.Node("1.2").Points);
        Assert.Equal(14m, appraised.Node("1").Points);
        Assert.Equal(14m, appraised.Total);
        Assert.Contains("Appraised", appraised.Node("1.2").Flags);
        Assert.Contains("thẩm định", appraised.Node("1.2").Explanation);
        Assert.DoesNotContain("Appraised", appraised.Node("1.1").Flags);
    }

    [Theory]
    [InlineData("9.9", 1)]   // unknown criterion
    [InlineData("1", 5)]     // a group is summed, not set
    [InlineData("1.2", 21)]  // above the criterion's maximum
    [InlineData("1.2", -1)]
    public void AppraisersPoints_ThatDoNotFit_AreRefusedInVietnamese(string code, decimal points)
    {
        var set = TestSets.Load(TwoCriteria);
        var errors = ScoringEngine.Validate(set, [new UnitValues("x", TestSets.V(), null, new Dictionary<string, decimal> { [code] = points })]);
        Assert.Single(errors);
        Assert.Contains("điểm thẩm định", Assert.Single(errors));
    }
}
