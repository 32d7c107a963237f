using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Tests.Assessments;

public class AssessmentRulesTests
{
    private static readonly Guid Key = Guid.Parse("5b0e6a3e-6f1f-4b8e-9d55-1c2b3a4d5e6f");
    private static readonly IReadOnlyList<MaturityLevel> Levels2361 = [.. Enumerable.Range(1, 5).Select(l => new MaturityLevel(l, "Mức " + l))];

    [Fact]
    public void Submit_WhenDraftAndRoundOpen_Submits() =>
        Assert.Equal(SubmitOutcome.Submitted, AssessmentRules.Submit(awaitingEntry: true, roundOpen: true, submittedWith: null, Key));

    [Fact]
    public void Submit_WhenAlreadySubmittedWithTheSameKey_IsAlreadySubmitted() =>
        Assert.Equal(SubmitOutcome.AlreadySubmitted, AssessmentRules.Submit(awaitingEntry: false, roundOpen: true, submittedWith: Key, Key));

    [Fact]
    public void Submit_WhenAlreadySubmittedWithAnotherKey_Throws()
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentRules.Submit(false, true, Guid.NewGuid(), Key));
        Assert.Contains("đã được nộp", ex.Message);
    }

    [Fact]
    public void Submit_WhenRoundClosed_Throws() =>
        Assert.Throws<DomainException>(() => AssessmentRules.Submit(true, roundOpen: false, null, Key));

    [Fact]
    public void Submit_WhenKeyEmpty_Throws() =>
        Assert.Throws<DomainException>(() => AssessmentRules.Submit(true, true, null, Guid.Empty));

    [Theory]
    [InlineData(true, true, true)]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    public void CanEdit_DependsOnEntryStateAndRound(bool awaitingEntry, bool roundOpen, bool expected) =>
        Assert.Equal(expected, AssessmentRules.CanEdit(awaitingEntry, roundOpen));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void CheckTargetLevel_WhenLevelOfTheSet_Passes(int level) => AssessmentRules.CheckTargetLevel(level, Levels2361);

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void CheckTargetLevel_WhenOutsideOneToFive_Throws(int level)
    {
        var ex = Assert.Throws<DomainException>(() => AssessmentRules.CheckTargetLevel(level, Levels2361));
        Assert.Equal("Mức mục tiêu phải từ 1 đến 5.", ex.Message);
    }

    [Fact]
    public void CheckTargetLevel_WhenSetHasNoLevels_Throws() =>
        Assert.Throws<DomainException>(() => AssessmentRules.CheckTargetLevel(3, []));

    [Fact]
    public void PeriodDeadlines_AreTheLastOnTimeDaysOfSeed000()
    {
        var d = ReportingCalendar.PeriodDeadlines(2024).ToDictionary(p => p.Period, p => p.Deadline);
        Assert.Equal(new DateOnly(2024, 3, 14), d["Q1"]);
        Assert.Equal(new DateOnly(2024, 6, 14), d["Q2"]);
        Assert.Equal(new DateOnly(2024, 9, 14), d["Q3"]);
        Assert.Equal(new DateOnly(2024, 12, 11), d["year"]);
        Assert.Equal(new DateOnly(2025, 6, 14), ReportingCalendar.DeadlineOf("q2", 2025));
    }
}
