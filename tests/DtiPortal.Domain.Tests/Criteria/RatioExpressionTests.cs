using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Tests.Criteria;

public class RatioExpressionTests
{
    private static readonly string[] _keys = ["a", "b", "c", "d"];

    [Theory]
    [InlineData("(a+d)/(b+c)", 1)]
    [InlineData("(b+c)/a", 5)]
    [InlineData("a/b*100", 50)]
    [InlineData("a - b + 2*c", 5)]
    [InlineData("-a + 4", 3)]
    public void Evaluate_WhenWellFormed_ComputesWithPrecedence(string text, double expected)
    {
        var expr = RatioExpression.Parse(text, k => Array.IndexOf(_keys, k), out var error);
        Assert.Null(error);
        var divZero = false;
        Assert.Equal((decimal)expected, expr.Evaluate([1, 2, 3, 4], ref divZero));
        Assert.False(divZero);
    }

    [Fact]
    public void Evaluate_WhenDenominatorZero_FlagsIt()
    {
        var expr = RatioExpression.Parse("a/(b-b)", k => Array.IndexOf(_keys, k), out _);
        var divZero = false;
        Assert.Equal(0m, expr.Evaluate([1, 2, 0, 0], ref divZero));
        Assert.True(divZero);
    }

    [Theory]
    [InlineData("a/e", "Công thức dùng đầu vào chưa khai báo: 'e'")]
    [InlineData("(a+b", "thiếu dấu ')'")]
    [InlineData("a/", "kết thúc đột ngột")]
    [InlineData("a % b", "ký tự thừa")]
    public void Parse_WhenMalformed_ReportsError(string text, string fragment)
    {
        RatioExpression.Parse(text, k => Array.IndexOf(_keys, k), out var error);
        Assert.NotNull(error);
        Assert.Contains(fragment, error);
    }
}
