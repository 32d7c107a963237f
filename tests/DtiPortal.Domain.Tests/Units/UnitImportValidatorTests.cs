using DtiPortal.Domain.Units;

namespace DtiPortal.Domain.Tests.Units;

public class UnitImportValidatorTests
{
    private static UnitImportRow Row(int row, string? code, string? name, string? kind, string? parent = null,
        string? from = null, string? to = null, string? preds = null) => new(row, code, name, kind, parent, from, to, preds);

    private static (IReadOnlyList<UnitToCreate> Units, IReadOnlyList<ImportError> Errors) Validate(
        IReadOnlyList<UnitImportRow> rows, params ExistingUnit[] existing) =>
        UnitImportValidator.Validate(rows, existing, UnitLevel.Defaults);

    [Fact]
    public void Validate_WhenThreeTierTreeIsValid_ReturnsEveryUnitWithItsLevel()
    {
        var (units, errors) = Validate([
            Row(2, "33", "Hưng Yên", "Tỉnh"),
            Row(3, "33-VL", "Văn Lâm", "huyen", "33"),
            Row(4, "33-VL-LDA", "Lạc Đạo", "Xã", "33-VL"),
            Row(5, "33-VL-NQU", "Như Quỳnh", "thị trấn", "33-VL", "01/01/2000", "30/06/2025"),
        ]);
        Assert.Empty(errors);
        Assert.Equal(["province", "district", "commune", "commune"], units.Select(u => u.LevelCode));
        Assert.Equal(UnitKind.ThiTran, units[3].Kind);
        Assert.Equal(new DateOnly(2025, 6, 30), units[3].ValidTo);
    }

    [Fact]
    public void Validate_WhenCommuneSitsDirectlyUnderProvince_AcceptsTheTwoTierTree()
    {
        var (units, errors) = Validate([
            Row(2, "X-NEW", "Lạc Đạo", "Xã", "33", "01/07/2025", null, "33-VL-LDA;33-VL-CDA"),
        ], new ExistingUnit("33", "province"), new ExistingUnit("33-VL-LDA", "commune"), new ExistingUnit("33-VL-CDA", "commune"));
        Assert.Empty(errors);
        Assert.Equal(["33-VL-LDA", "33-VL-CDA"], units.Single().PredecessorCodes);
    }

    [Fact]
    public void Validate_WhenParentIsUnknown_NamesTheRowAndTheCode()
    {
        var (units, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh"), Row(3, "X1", "Xã Một", "Xã", "ZZ")]);
        Assert.Empty(units);
        var e = Assert.Single(errors);
        Assert.Equal(3, e.Row);
        Assert.Contains("'ZZ'", e.Message);
        Assert.StartsWith("Dòng 3:", e.ToString());
    }

    [Fact]
    public void Validate_WhenCodeIsDuplicatedInFile_NamesBothRows()
    {
        var (_, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh"), Row(3, "33", "Hưng Yên 2", "Tỉnh")]);
        var e = Assert.Single(errors);
        Assert.Equal("Dòng 3: Mã đơn vị '33' bị trùng với dòng 2.", e.ToString());
    }

    [Fact]
    public void Validate_WhenCodeAlreadyExists_RefusesTheRow()
    {
        var (_, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh")], new ExistingUnit("33", "province"));
        Assert.Contains("đã có trong hệ thống", Assert.Single(errors).Message);
    }

    [Fact]
    public void Validate_WhenParentsFormACycle_ReportsTheCycle()
    {
        var (units, errors) = Validate([Row(2, "A", "Huyện A", "Huyện", "B"), Row(3, "B", "Huyện B", "Huyện", "A")]);
        Assert.Empty(units);
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Contains("vòng lặp", e.Message));
        Assert.Contains("A → B → A", errors[0].Message);
    }

    [Fact]
    public void Validate_WhenUnitIsItsOwnParent_ReportsIt()
    {
        var (_, errors) = Validate([Row(2, "A", "Huyện A", "Huyện", "A")]);
        Assert.Contains(errors, e => e.Message.Contains("cấp trên của chính nó"));
    }

    [Fact]
    public void Validate_WhenLevelIsOutOfOrder_NamesBothLevels()
    {
        var (_, errors) = Validate([
            Row(2, "33", "Hưng Yên", "Tỉnh"),
            Row(3, "X3", "Xã Ba", "Xã", "33"),
            Row(4, "H3", "Huyện dưới xã", "Huyện", "X3"),
        ]);
        var e = Assert.Single(errors);
        Assert.Equal(4, e.Row);
        Assert.Contains("Sai thứ tự cấp", e.Message);
        Assert.Contains("cấp xã", e.Message);
    }

    [Fact]
    public void Validate_WhenDistrictHasNoParent_AsksForTheParent()
    {
        var (_, errors) = Validate([Row(2, "H", "Huyện", "Huyện")]);
        Assert.Contains("phải có mã đơn vị cấp trên", Assert.Single(errors).Message);
    }

    [Theory]
    [InlineData("", "Tên đơn vị 'X1' đang để trống.")]
    [InlineData("   ", "Tên đơn vị 'X1' đang để trống.")]
    public void Validate_WhenNameIsEmpty_SaysSo(string name, string expected)
    {
        var (_, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh"), Row(3, "X1", name, "Xã", "33")]);
        Assert.Equal(expected, Assert.Single(errors).Message);
    }

    [Fact]
    public void Validate_WhenKindIsUnknown_ListsTheValidKinds()
    {
        var (_, errors) = Validate([Row(2, "33", "Hưng Yên", "Bang")]);
        var e = Assert.Single(errors);
        Assert.Contains("'Bang'", e.Message);
        Assert.Contains("thị trấn", e.Message);
    }

    [Fact]
    public void Validate_WhenDatesAreBadOrReversed_ReportsEach()
    {
        var (_, errors) = Validate([
            Row(2, "33", "Hưng Yên", "Tỉnh", from: "32/13/2020"),
            Row(3, "34", "Thái Bình", "Tỉnh", from: "01/07/2025", to: "30/06/2025"),
        ]);
        Assert.Equal(2, errors.Count);
        Assert.Contains("không phải ngày hợp lệ", errors[0].Message);
        Assert.Contains("trước ngày có hiệu lực", errors[1].Message);
    }

    [Fact]
    public void Validate_WhenPredecessorIsUnknown_NamesIt()
    {
        var (_, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh", preds: "99")]);
        Assert.Contains("'99'", Assert.Single(errors).Message);
    }

    [Fact]
    public void Validate_WhenFileHasNoRows_SaysTheFileIsEmpty()
    {
        var (_, errors) = Validate([]);
        Assert.Contains("không có dòng dữ liệu", Assert.Single(errors).Message);
    }

    [Fact]
    public void Validate_WhenOneRowIsBad_ReturnsNoUnitsAtAll()
    {
        var (units, errors) = Validate([Row(2, "33", "Hưng Yên", "Tỉnh"), Row(3, "33-VL", "", "Huyện", "33")]);
        Assert.Empty(units);
        Assert.Single(errors);
    }

    [Theory]
    [InlineData("Thành phố", null, UnitKind.ThanhPhoTrucThuocTrungUong)]
    [InlineData("thanh pho", "33", UnitKind.ThanhPhoThuocTinh)]
    [InlineData("Đặc khu", "33", UnitKind.DacKhu)]
    [InlineData("PHƯỜNG", "33", UnitKind.Phuong)]
    public void ParseKind_ReadsSpreadsheetSpellings(string text, string? parent, UnitKind expected) =>
        Assert.Equal(expected, UnitKinds.Parse(text, parent));
}
