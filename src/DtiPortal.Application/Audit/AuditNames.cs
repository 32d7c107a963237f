namespace DtiPortal.Application.Audit;

/// <summary>
/// The Vietnamese names of what the audit trail records, in one place: the actions (codes such as "SignIn", "Workflow"; use
/// cases that already write a Vietnamese action, "Thẩm định tiêu chí", keep it) and the kinds of data (the entity types
/// the interceptor and the use cases name). A test checks that every code written anywhere in src has a name here.
/// </summary>
public static class AuditNames
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["SignIn"] = "Đăng nhập",
        ["SignInFailed"] = "Đăng nhập thất bại",
        ["SignOut"] = "Đăng xuất",
        ["AccessDenied"] = "Truy cập bị từ chối",
        ["RoleAdded"] = "Thêm vai trò",
        ["RoleRemoved"] = "Bỏ vai trò",
        ["Create"] = "Tạo mới",
        ["Update"] = "Sửa",
        ["Delete"] = "Xóa",
        ["PasswordChanged"] = "Đổi mật khẩu",
        ["PasswordReset"] = "Cấp lại mật khẩu",
        ["TwoFactorEnabled"] = "Bật xác thực hai bước",
        ["UserCreated"] = "Tạo tài khoản",
        ["UserDisabled"] = "Vô hiệu hóa tài khoản",
        ["UserEnabled"] = "Mở lại tài khoản",
        ["Workflow"] = "Xử lý hồ sơ đánh giá",
        ["WorkflowRefused"] = "Xử lý hồ sơ bị từ chối",
        ["SpreadsheetExport"] = "Xuất bảng tính",
        ["SpreadsheetImport"] = "Nhập số liệu từ bảng tính",
        ["ReportExport"] = "Xuất báo cáo",
        ["ReportJobRequested"] = "Yêu cầu lập báo cáo",
        ["ReportArchiveDownload"] = "Tải tệp nén báo cáo",
        ["RoundClosed"] = "Khóa đợt đánh giá",
        ["RoundExtended"] = "Gia hạn đợt đánh giá",
        ["RoundDeadlineRulesChanged"] = "Đổi quy định về hạn nộp của đợt",
        ["UnitDeadlineExtended"] = "Gia hạn cho đơn vị",
        ["DemoGenerated"] = "Tạo dữ liệu mẫu",
    };

    private static readonly Dictionary<string, string> Entities = new(StringComparer.Ordinal)
    {
        ["AppUser"] = "Tài khoản",
        ["Role"] = "Vai trò",
        ["IdentityRole"] = "Vai trò",
        ["IdentityPasskeyData"] = "Khóa đăng nhập (passkey)",
        ["UnitPredecessor"] = "Đơn vị trước sáp nhập",
        ["UserRole"] = "Vai trò của tài khoản",
        ["AdministrativeUnit"] = "Đơn vị hành chính",
        ["UnitLevel"] = "Cấp đơn vị",
        ["UnitContact"] = "Đầu mối liên hệ của đơn vị",
        ["CriteriaSetVersion"] = "Bộ chỉ số",
        ["CriteriaSetDraft"] = "Bản nháp bộ chỉ số",
        ["AssessmentRound"] = "Đợt đánh giá",
        ["Assessment"] = "Bản đánh giá",
        ["AssessmentValue"] = "Số liệu đánh giá",
        ["CriterionAssignment"] = "Phân công nhập tiêu chí",
        ["EvidenceFile"] = "Tài liệu kiểm chứng",
        ["CriterionAppraisal"] = "Thẩm định tiêu chí",
        ["ReviewComment"] = "Trao đổi thẩm định",
        ["WorkflowStep"] = "Bước xử lý hồ sơ",
        ["CouncilVote"] = "Biểu quyết của Hội đồng",
        ["RecognisedResult"] = "Kết quả được công nhận",
        ["CouncilAssignment"] = "Phân công thành viên Hội đồng",
        ["DocumentCounter"] = "Sổ đăng ký văn bản",
        ["DeadlineExtension"] = "Gia hạn cho đơn vị",
        ["FollowUpMark"] = "Số liệu cần theo dõi",
        ["RuleExplanation"] = "Giải trình cảnh báo số liệu",
        ["ReportJob"] = "Báo cáo",
    };

    /// <summary>The Vietnamese name of an action; a name already in Vietnamese (or unknown) is returned as it is.</summary>
    public static string Action(string action) => Actions.GetValueOrDefault(action, action);

    /// <summary>The Vietnamese name of a kind of data; null for none.</summary>
    public static string? Entity(string? entityType) => entityType is null ? null : Entities.GetValueOrDefault(entityType, entityType);

    /// <summary>Whether a code has a Vietnamese name (or is Vietnamese already: it has a space or a letter outside ASCII).</summary>
    public static bool HasActionName(string action) => Actions.ContainsKey(action) || IsVietnamese(action);

    public static bool HasEntityName(string entityType) => Entities.ContainsKey(entityType) || IsVietnamese(entityType);

    private static bool IsVietnamese(string text) => text.Any(c => c == ' ' || c > 127);
}
