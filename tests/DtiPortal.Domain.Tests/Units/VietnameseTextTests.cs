namespace DtiPortal.Domain.Tests.Units;

public class VietnameseTextTests
{
    [Theory]
    [InlineData("Lạc Đạo", "lac dao")]
    [InlineData("  Ia   Boòng ", "ia boong")]
    [InlineData("Thị trấn Như Quỳnh", "thi tran nhu quynh")]
    [InlineData("ĐẶC KHU Phú Quốc", "dac khu phu quoc")]
    public void Fold_RemovesAccentsCaseAndExtraSpaces(string input, string expected) =>
        Assert.Equal(expected, VietnameseText.Fold(input));
}
