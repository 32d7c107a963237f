using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Tests.Assessments;

public class ValueTextTests
{
    private const decimal Max = 1_000_000_000_000m;

    [Theory]
    [InlineData("1.234,5", 1234.5)]
    [InlineData("1234.5", 1234.5)]
    [InlineData("1234,5", 1234.5)]
    [InlineData("1.234", 1234)]
    [InlineData("12.500", 12500)]
    [InlineData("1.234.567", 1234567)]
    [InlineData("1,234.5", 1234.5)]
    [InlineData("0.125", 0.125)]
    [InlineData("72.5", 72.5)]
    [InlineData("72,5%", 72.5)]
    [InlineData("9 120", 9120)]
    [InlineData("9\u00A0120", 9120)]
    [InlineData("-3", -3)]
    [InlineData("0", 0)]
    public void TryParseNumber_WhenVietnameseOrPlainText_ReadsTheNumber(string text, double expected)
    {
        Assert.True(ValueText.TryParseNumber(text, out var n));
        Assert.Equal((decimal)expected, n);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.23.4")]
    [InlineData("12,34,5")]
    [InlineData("1e5")]
    [InlineData("1..2")]
    [InlineData("")]
    public void TryParseNumber_WhenNotANumber_Fails(string text) => Assert.False(ValueText.TryParseNumber(text, out _));

    [Fact]
    public void Parse_WhenEmpty_ClearsTheValue()
    {
        var r = ValueText.Parse(new ValueSpec("3.1.a", "Số người", InputType.Integer), "  ", Max, 2024);
        Assert.True(r.Ok);
        Assert.Null(r.Value);
    }

    [Theory]
    [InlineData("abc", "không phải là số")]
    [InlineData("-5", "không được là số âm")]
    [InlineData("2.000.000.000.000", "lớn bất thường")]
    [InlineData("1,5", "phải là số nguyên")]
    public void Parse_WhenBadInteger_RefusesWithFieldMessage(string text, string expected)
    {
        var r = ValueText.Parse(new ValueSpec("3.1.a", "Số người có điện thoại thông minh", InputType.Integer), text, Max, 2024);
        Assert.False(r.Ok);
        Assert.Contains("“Số người có điện thoại thông minh”", r.Error);
        Assert.Contains(expected, r.Error);
    }

    [Fact]
    public void Parse_WhenPercentAbove100_Refuses()
    {
        var r = ValueText.Parse(new ValueSpec("I.1", "Tỷ lệ", InputType.Percent), "100,5", Max, 2024);
        Assert.Contains("không được lớn hơn 100", r.Error);
        Assert.Equal(72.5m, ValueText.Parse(new ValueSpec("I.1", "Tỷ lệ", InputType.Percent), "72,5", Max, 2024).Value);
    }

    [Theory]
    [InlineData("có", true)]
    [InlineData("Không", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Parse_WhenBoolean_ReadsVietnameseAndEnglish(string text, bool expected) =>
        Assert.Equal(expected, ValueText.Parse(new ValueSpec("2.1", "Có hệ thống", InputType.Boolean), text, Max, 2024).Value);

    [Fact]
    public void Parse_WhenChoiceOutOfRange_Refuses()
    {
        var spec = new ValueSpec("1.1", "Trưởng ban", InputType.Integer, OptionCount: 3);
        Assert.Equal(2, ValueText.Parse(spec, "2", Max, 2024).Value);
        Assert.Contains("từ 1 đến 3", ValueText.Parse(spec, "4", Max, 2024).Error);
    }

    [Fact]
    public void Parse_WhenDateOutsideRoundYear_Refuses()
    {
        var spec = new ValueSpec("general:9", "Ngày ban hành", InputType.Date);
        Assert.Equal("2024-03-15", ValueText.Parse(spec, "15/03/2024", Max, 2024).Value);
        Assert.Contains("nằm ngoài năm đánh giá 2024", ValueText.Parse(spec, "15/03/2023", Max, 2024).Error);
    }

    [Fact]
    public void Parse_WhenDirectPointsAboveMax_Refuses() =>
        Assert.Contains("điểm tối đa", ValueText.Parse(new ValueSpec("5.1", "Điểm", InputType.Number, MaxPoints: 10), "12", Max, 2024).Error);

    [Fact]
    public void Json_RoundTrips_WhatScoringTakes()
    {
        Assert.Equal(1234.5m, ValueText.FromJson(ValueText.ToJson(1234.5m), null));
        Assert.Equal(true, ValueText.FromJson(ValueText.ToJson(true), null));
        Assert.Equal(2, ValueText.FromJson(ValueText.ToJson(2), new ValueSpec("1.1", "x", InputType.Integer, OptionCount: 3)));
        Assert.Equal(new[] { 3, 2 }, ValueText.FromJson(ValueText.ToJson(new[] { 3, 2 }), null));
        Assert.Equal("1.234,5", ValueText.Display(1234.5m));
    }
}
