using DtiPortal.Web.Documents;

namespace DtiPortal.E2E.Documents;

/// <summary>Dates, numbers and names as Decree 30/2020/NĐ-CP writes them in administrative documents.</summary>
public sealed class DocumentTextTests
{
    [Theory]
    [InlineData(2026, 2, 4, 20, 0, "Hưng Yên, ngày 05 tháng 02 năm 2026")]   // 03:00 on the 5th in Vietnam; month 2 keeps its zero
    [InlineData(2026, 3, 9, 1, 0, "Hưng Yên, ngày 09 tháng 3 năm 2026")]     // months 3–12 without a zero
    [InlineData(2026, 12, 31, 16, 59, "Hưng Yên, ngày 31 tháng 12 năm 2026")]
    [InlineData(2026, 12, 31, 17, 0, "Hưng Yên, ngày 01 tháng 01 năm 2027")] // midnight in Vietnam
    public void PlaceAndDate_WritesTheVietnamDateAsDecree30Does(int y, int mo, int d, int h, int mi, string expected) =>
        Assert.Equal(expected, DocumentText.PlaceAndDate("Hưng Yên", new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("Xã Lạc Đạo", "xã Lạc Đạo")]
    [InlineData("Huyện Văn Lâm", "huyện Văn Lâm")]
    [InlineData("Thị trấn Như Quỳnh", "thị trấn Như Quỳnh")]
    [InlineData("Thành phố Hưng Yên", "thành phố Hưng Yên")]
    [InlineData("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh")]
    [InlineData("Phường 1", "Phường 1")]
    [InlineData("Ủy ban nhân dân xã Lạc Đạo", "Ủy ban nhân dân xã Lạc Đạo")]
    [InlineData("Xãhội", "Xãhội")]
    public void InRunningText_LowersTheCommonNounOfAnAdministrativeUnit(string name, string expected) =>
        Assert.Equal(expected, DocumentText.InRunningText(name));

    [Theory]
    [InlineData("812.5", "812,5")]
    [InlineData("1000", "1.000")]
    [InlineData("72.25", "72,25")]
    public void Number_WritesVietnameseNumbers(string value, string expected) =>
        Assert.Equal(expected, DocumentText.Number(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Upper_KeepsEveryMark() =>
        Assert.Equal("ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", DocumentText.Upper("Ủy ban nhân dân tỉnh Hưng Yên"));
}
