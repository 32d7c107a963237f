using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Criteria.Workbook;

/// <summary>
/// The criteria workbook's sheets, columns and the Vietnamese words its drop-downs offer, shared by the writer and the
/// reader so that what one writes the other reads. docs/criteria-format.md §9 describes the same layout for people.
/// </summary>
internal static class WorkbookLayout
{
    public const string HelpSheet = "Hướng dẫn";
    public const string DecisionSheet = "Quyết định";
    public const string TreeSheet = "Chỉ số";
    public const string InputSheet = "Đầu vào";
    public const string GeneralSheet = "Thông tin chung";
    public const string LevelSheet = "Các mức";
    public const string RequirementSheet = "Yêu cầu theo mức";
    public const string RuleSheet = "Quy tắc kiểm tra";
    public const string ListSheet = "Danh mục";

    /// <summary>A column: its header, its YAML keys (for mapping the loader's errors back), its width and its help.</summary>
    public sealed record Column(int Index, string Header, string[] Keys, double Width, string Help)
    {
        public string Letter => ColumnLetter(Index);
    }

    // Main sheet: the decisions' appendix columns first, then the structured columns that make a row scorable.
    public static readonly Column Code = new(1, "STT/Mã", ["code"], 10, "Mã in trong quyết định (1, 1.1, II.1.1…); không trùng nhau.");
    public static readonly Column Name = new(2, "Tên chỉ số, tiêu chí", ["name"], 50, "Tên như in trong quyết định.");
    public static readonly Column Max = new(3, "Điểm tối đa", ["max"], 10, "Nhóm: bằng tổng điểm tối đa của các chỉ số con. Tiêu chí chấm điểm: lớn hơn 0.");
    public static readonly Column Formula = new(4, "Cách tính", ["formula"], 45,
        "Cách tính như in trong quyết định. Để trống thì hệ thống tự diễn đạt từ phương pháp và tham số.");
    public static readonly Column EvidenceColumn = new(5, "Tài liệu kiểm chứng", ["evidence"], 30, "Mỗi loại tài liệu một dòng (Alt+Enter).");
    public static readonly Column DataSource = new(6, "Nguồn số liệu", ["dataSource"], 20, "Đơn vị/nơi cung cấp số liệu.");
    public static readonly Column Lead = new(7, "Đơn vị chủ trì", ["lead"], 20, "Đơn vị chủ trì, phụ trách.");
    public static readonly Column Coordinating = new(8, "Đơn vị phối hợp", ["coordinating"], 22, "Mỗi đơn vị một dòng.");
    public static readonly Column Period = new(9, "Kỳ", ["period"], 12, "Cả năm, Quý I, Quý II, Quý III, Quý IV; nhiều kỳ cách nhau bằng dấu phẩy. Để trống: Cả năm.");
    public static readonly Column Depth = new(10, "Cấp trong cây", ["children"], 9,
        "1 = chỉ số chính (hoặc trụ cột) ở gốc; 2 = con của dòng cấp 1 gần nhất phía trên; 3, 4… tương tự. Dòng có con là nhóm.");
    public static readonly Column Kind = new(11, "Loại", ["kind"], 16, "Trụ cột, Chỉ số chính, Chỉ số thành phần hoặc Tiêu chí. Để trống: tự xác định.");
    public static readonly Column Method = new(12, "Phương pháp tính điểm", ["method"], 30, "Chọn trong danh sách. Nhóm để trống.");
    public static readonly Column Expression = new(13, "Công thức", ["ratio", "count"], 14,
        "Tỷ lệ hoặc số lượng viết theo ký hiệu đầu vào: a/b, (c+d)/(a+b). Để trống khi tiêu chí chỉ có một giá trị.");
    public static readonly Column ThresholdColumn = new(14, "Ngưỡng", ["target", "lower"], 10,
        "Ngưỡng viết dạng phần trăm như trong văn bản: 80%, 0,25%. Dùng cho \"Đạt ngưỡng…\" và \"Khoảng…\".");
    public static readonly Column Steps = new(15, "Bậc, phương án, nội dung", ["steps", "tiers", "options", "parts"], 40,
        "Mỗi dòng một mục, phần điểm sau dấu →. Bậc theo tỷ lệ: 80% → 1. Bậc theo số lượng: 10 → 1/2. " +
        "Phương án: Chủ tịch UBND xã → 1. Nội dung: a: Có cổng thông tin → 5 điểm. Phần điểm là phần của điểm tối đa (1, 0,5, 1/4) hoặc số điểm (\"5 điểm\").");
    public static readonly Column Requires = new(16, "Điều kiện", ["requires"], 10,
        "Ký hiệu đầu vào Có/Không mà thiếu nó thì tiêu chí được 0 điểm (ví dụ a = Đã có chuyên mục). Để trống nếu không có.");
    public static readonly Column PointsEach = new(17, "Điểm mỗi đơn vị", ["pointsEach"], 10, "Chỉ dùng cho \"Số lượng × điểm mỗi đơn vị\" (mặc định 1).");
    public static readonly Column Mode = new(18, "Cách so sánh", ["mode"], 22, "Chỉ dùng cho \"So sánh với các đơn vị cùng cấp\".");
    public static readonly Column ZeroDenominator = new(19, "Mẫu số bằng 0", ["zeroDenominator"], 14,
        "Mẫu số (hoặc giá trị) bằng 0 — không phát sinh: 0 điểm (mặc định) hoặc điểm tối đa.");
    public static readonly Column EvidenceRequired = new(20, "Bắt buộc tài liệu kiểm chứng", ["evidenceRequired"], 12, "Có: không nộp được khi chưa có tài liệu.");
    public static readonly Column LegalBasis = new(21, "Căn cứ", ["legalBasis"], 20, "Căn cứ pháp lý (nếu có).");
    public static readonly Column Note = new(22, "Ghi chú", ["note"], 30, "Ghi chú hiển thị cho người nhập số liệu.");

    public static readonly Column[] TreeColumns =
    [
        Code, Name, Max, Formula, EvidenceColumn, DataSource, Lead, Coordinating, Period, Depth, Kind, Method, Expression,
        ThresholdColumn, Steps, Requires, PointsEach, Mode, ZeroDenominator, EvidenceRequired, LegalBasis, Note,
    ];

    // Inputs sheet.
    public static readonly Column InCriterion = new(1, "Mã tiêu chí", [], 12, "Mã của tiêu chí (cột STT/Mã của trang \"Chỉ số\").");
    public static readonly Column InKey = new(2, "Ký hiệu", ["key"], 9, "Chữ cái in trong quyết định: a, b, c… (chữ không dấu, có thể kèm số: b1).");
    public static readonly Column InLabel = new(3, "Tên đầu vào", ["label"], 50, "Nội dung như in: \"a = Số lượng …\".");
    public static readonly Column InUnit = new(4, "Đơn vị tính", ["unit"], 12, "người, hộ, hồ sơ…");
    public static readonly Column InType = new(5, "Kiểu dữ liệu", ["type"], 14, "Chọn trong danh sách. Để trống: Số nguyên.");
    public static readonly Column InGeneral = new(6, "Lấy từ thông tin chung (mã)", ["general"], 16,
        "Mã mục thông tin chung (I.10, 1.4…) khi đầu vào không phải nhập mà lấy từ thông tin chung.");
    public static readonly Column[] InputColumns = [InCriterion, InKey, InLabel, InUnit, InType, InGeneral];

    // General information sheet.
    public static readonly Column GCode = new(1, "Mã", ["code"], 10, "Mã in trong phần thông tin chung (I.4, 1.4…).");
    public static readonly Column GKey = new(2, "Khóa", ["key"], 22, "Tên ngắn không dấu, không khoảng trắng (population); không trùng nhau.");
    public static readonly Column GLabel = new(3, "Nội dung", ["label"], 50, "Nội dung như in.");
    public static readonly Column GUnit = new(4, "Đơn vị tính", ["unit"], 12, "người, hộ, triệu đồng…");
    public static readonly Column GType = new(5, "Kiểu dữ liệu", ["type"], 14, "Chọn trong danh sách. Để trống: Số nguyên.");
    public static readonly Column[] GeneralColumns = [GCode, GKey, GLabel, GUnit, GType];

    // Levels sheet.
    public static readonly Column LNumber = new(1, "Mức", ["level"], 8, "1, 2, 3… liên tiếp.");
    public static readonly Column LName = new(2, "Tên mức", ["name"], 30, "Khởi động, Kết nối…");
    public static readonly Column[] LevelColumns = [LNumber, LName];

    // Requirements sheet: fixed columns, then one column per level ("Mức 1" … "Mức 5").
    public static readonly Column RCode = new(1, "Mã tiêu chí", [], 12, "Mã của tiêu chí (trang \"Chỉ số\").");
    public static readonly Column RName = new(2, "Tên tiêu chí", [], 40, "Chỉ để đọc; không dùng khi nhập.");
    public static readonly Column RValue = new(3, "Giá trị xét mức", ["value"], 22,
        "Để trống khi tiêu chí có một giá trị. Tỷ lệ a/b; Có a (đầu vào Có/Không); Số lượng a; Mức của đơn vị cấp dưới.");
    public static readonly Column RAllPrevious = new(4, "Tổng hợp: tỷ lệ đạt mức liền trước", ["aggregate"], 14,
        "Chỉ cho tiêu chí tổng hợp mức của đơn vị cấp dưới: tỷ lệ đơn vị phải đạt mức liền trước (100%).");
    public static readonly Column RAtLeast = new(5, "Tổng hợp: tỷ lệ đạt mức đang xét", ["aggregate"], 14,
        "Tỷ lệ tối thiểu đơn vị cấp dưới đạt chính mức đang xét (50%).");
    public const int FirstLevelColumn = 6;
    public const string LevelHelp =
        "Yêu cầu của mức: Không áp dụng; Có; Có (a); ≥ 70%; ≥ 70% (b); ≥ 1; ≥ 3 (a); nối bằng \"hoặc\" / \"và\". Để trống: không áp dụng.";
    public static readonly Column[] RequirementColumns = [RCode, RName, RValue, RAllPrevious, RAtLeast];

    // Validation rules sheet (spec §10): row 2 is a help row, data from row 3.
    public static readonly Column VCode = new(1, "Mã quy tắc", ["code"], 14, "Mã ngắn, không trùng nhau (TTC-1, DVC-6.2): chữ, chữ số, dấu . - _.");
    public static readonly Column VRule = new(2, "Quy tắc", ["rule"], 40,
        "So sánh hai vế: tổng/hiệu của ô nhập (3.1.a), thông tin chung (general.population) và số; phép so sánh <=, <, >=, >, =, !=. Ví dụ: 6.2.c + 6.2.d <= 6.2.a + 6.2.b");
    public static readonly Column VSeverity = new(3, "Mức độ", ["severity"], 14,
        "Lỗi: từ chối số liệu ngay khi nhập. Cảnh báo: vẫn lưu, đơn vị phải giải trình trước khi nộp.");
    public static readonly Column VMessage = new(4, "Thông báo", ["message"], 60, "Câu báo cho đơn vị khi số liệu vi phạm quy tắc.");
    public static readonly Column[] RuleColumns = [VCode, VRule, VSeverity, VMessage];
    /// <summary>The first cell of the help row under the rules sheet's header; the reader skips a row that starts with it.</summary>
    public const string RuleHelpMarker = "Hướng dẫn:";
    public static readonly string[] RuleHelpRow =
    [
        RuleHelpMarker + " mỗi dòng dưới đây là một quy tắc",
        "Ví dụ: 3.1.a <= general.population; 6.2.c + 6.2.d <= 6.2.a + 6.2.b. Ô nhập ghi như mã tiêu chí.chữ cái (3.1.a); " +
            "tiêu chí một giá trị ghi mã tiêu chí; thông tin chung ghi general.khóa (trang \"Thông tin chung\").",
        "Lỗi hoặc Cảnh báo",
        "Ví dụ: Số người có điện thoại thông minh không thể lớn hơn dân số của xã. Thiếu số liệu ở một vế thì quy tắc chưa được xét.",
    ];
    public static readonly (RuleSeverity Severity, string Vietnamese)[] Severities = [(RuleSeverity.Error, "Lỗi"), (RuleSeverity.Warning, "Cảnh báo")];

    public static readonly string[] DecisionRows =
    [
        "Mã bộ chỉ số", "Phiên bản", "Tên bộ chỉ số", "Cấp đánh giá", "Năm đánh giá", "Tổng điểm tối đa", "Nguồn",
        "Số quyết định", "Ngày ban hành", "Cơ quan ban hành", "Có hiệu lực từ ngày", "Hết hiệu lực từ ngày",
    ];

    public static readonly Dictionary<string, string> DecisionKeys = new()
    {
        ["Mã bộ chỉ số"] = "id", ["Phiên bản"] = "version", ["Tên bộ chỉ số"] = "name", ["Cấp đánh giá"] = "level",
        ["Năm đánh giá"] = "year", ["Tổng điểm tối đa"] = "maxPoints", ["Nguồn"] = "source",
        ["Số quyết định"] = "decision.number", ["Ngày ban hành"] = "decision.date", ["Cơ quan ban hành"] = "decision.issuer",
        ["Có hiệu lực từ ngày"] = "decision.effectiveFrom", ["Hết hiệu lực từ ngày"] = "decision.effectiveTo",
    };

    public static readonly Dictionary<string, string> DecisionHelp = new()
    {
        ["Mã bộ chỉ số"] = "Chữ thường không dấu, số và dấu gạch ngang: hung-yen-commune-2025.",
        ["Phiên bản"] = "Số nguyên, tăng dần với mỗi lần ban hành lại.",
        ["Cấp đánh giá"] = "Xã, Huyện hoặc Tỉnh.",
        ["Tổng điểm tối đa"] = "Bằng tổng điểm tối đa của các chỉ số chính. Để trống cho bộ chỉ xét mức độ (Quyết định 2361).",
        ["Ngày ban hành"] = "dd/mm/yyyy.",
        ["Có hiệu lực từ ngày"] = "dd/mm/yyyy (không bắt buộc).",
        ["Hết hiệu lực từ ngày"] = "dd/mm/yyyy (không bắt buộc).",
    };

    public static readonly (string Yaml, string Vietnamese)[] Levels = [("commune", "Xã"), ("district", "Huyện"), ("province", "Tỉnh")];

    public static readonly (MethodKind Kind, string Vietnamese)[] Methods =
    [
        (MethodKind.YesNo, "Có/Không: có được điểm tối đa"),
        (MethodKind.Choice, "Chọn một phương án"),
        (MethodKind.Ratio, "Tỷ lệ × điểm tối đa"),
        (MethodKind.RatioTarget, "Đạt ngưỡng được tối đa, dưới ngưỡng theo tỷ lệ/ngưỡng"),
        (MethodKind.RatioTargetPlain, "Đạt ngưỡng được tối đa, dưới ngưỡng theo tỷ lệ"),
        (MethodKind.Band, "Khoảng: từ ngưỡng dưới đến 100%"),
        (MethodKind.RatioSteps, "Bậc theo tỷ lệ"),
        (MethodKind.CountTiers, "Bậc theo số lượng"),
        (MethodKind.Parts, "Cộng điểm từng nội dung đạt"),
        (MethodKind.CappedCount, "Số lượng × điểm mỗi đơn vị (có trần)"),
        (MethodKind.PeerRelative, "So sánh với các đơn vị cùng cấp"),
        (MethodKind.Direct, "Nhập trực tiếp số điểm"),
    ];

    public static readonly (NodeKind Kind, string Vietnamese)[] Kinds =
    [
        (NodeKind.Pillar, "Trụ cột"), (NodeKind.Index, "Chỉ số chính"), (NodeKind.Component, "Chỉ số thành phần"), (NodeKind.Criterion, "Tiêu chí"),
    ];

    public static readonly (InputType Type, string Vietnamese)[] Types =
    [
        (InputType.Integer, "Số nguyên"), (InputType.Number, "Số"), (InputType.Money, "Tiền"), (InputType.Percent, "Tỷ lệ (%)"),
        (InputType.Boolean, "Có/Không"), (InputType.Text, "Văn bản"), (InputType.Date, "Ngày"),
    ];

    public static readonly (string Yaml, string Vietnamese)[] Periods =
        [("year", "Cả năm"), ("Q1", "Quý I"), ("Q2", "Quý II"), ("Q3", "Quý III"), ("Q4", "Quý IV")];

    public static readonly (PeerMode Mode, string Vietnamese)[] Modes =
        [(PeerMode.MinMax, "Theo khoảng thấp nhất – cao nhất"), (PeerMode.Best, "So với đơn vị cao nhất")];

    public static readonly (ZeroDenominatorRule Rule, string Vietnamese)[] ZeroRules =
        [(ZeroDenominatorRule.Zero, "0 điểm"), (ZeroDenominatorRule.Max, "Điểm tối đa")];

    public const string Yes = "Có";
    public const string No = "Không";
    public const string NotApplicable = "Không áp dụng";
    public const string AggregateRequirement = "Theo quy tắc tổng hợp";
    public const string LowerLevelsValue = "Mức của đơn vị cấp dưới";

    public static string ColumnLetter(int index)
    {
        var name = "";
        while (index > 0)
        {
            var m = (index - 1) % 26;
            name = (char)('A' + m) + name;
            index = (index - m - 1) / 26;
        }
        return name;
    }
}
