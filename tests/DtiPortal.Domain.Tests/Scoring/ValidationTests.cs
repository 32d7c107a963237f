using DtiPortal.Domain.Scoring;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Scoring;

public class ValidationTests
{
    private static readonly Lazy<DtiPortal.Domain.Criteria.CriteriaSet> _set = new(() => OneCriterion("""
        method: choice
        options:
          - { label: A, fraction: 1 }
          - { label: B, fraction: 0 }
        """));

    [Theory]
    [InlineData("9.9", 1, "mã '9.9' không có")]
    [InlineData("1.1", "1", "không phải chuỗi")]
    [InlineData("1.1", 3, "từ 1 đến 2")]
    [InlineData("1.1", 1.5, "từ 1 đến 2")]
    [InlineData("1.1", true, "không phải true/false")]
    public void Score_WhenValueBad_ThrowsNamingTheKey(string key, object value, string fragment)
    {
        var ex = Assert.Throws<ScoringInputException>(() => ScoreOne(_set.Value, (key, value)));
        Assert.Contains(key, ex.Message);
        Assert.Contains(fragment, ex.Message);
    }

    [Fact]
    public void Validate_WhenSeveralBadKeys_ReportsEach()
    {
        var errors = ScoringEngine.Validate(_set.Value, [new UnitValues("XA", V(("x", 1), ("y", 2)))]);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Validate_WhenBooleanForYesNoGivenNumber_ReportsIt()
    {
        var set = OneCriterion("method: yesno");
        var errors = ScoringEngine.Validate(set, [new UnitValues("XA", V(("1.1", 1)))]);
        Assert.Contains("true/false", Assert.Single(errors));
    }

    [Fact]
    public void Validate_WhenYesNoGivenText_AsksForTrueFalse()
    {
        var set = OneCriterion("method: yesno");
        var error = Assert.Single(ScoringEngine.Validate(set, [new UnitValues("XA", V(("1.1", "có")))]));
        Assert.Contains("phải là có/không (true/false), không phải chuỗi \"có\"", error);
    }

    [Fact]
    public void Validate_WhenNullValue_TreatsAsMissing()
    {
        var set = OneCriterion("method: yesno");
        Assert.Empty(ScoringEngine.Validate(set, [new UnitValues("XA", V(("1.1", null)))]));
        Assert.Equal(["1.1"], ScoreOne(set, ("1.1", null)).Missing);
    }
}
