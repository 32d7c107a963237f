namespace DtiPortal.Application.Identity;

/// <summary>
/// The roles of DOMAIN.md §1. Names are stable identifiers, spelled once in the Domain (the review workflow decides by
/// them); <see cref="DisplayName"/> is what users see.
/// </summary>
public static class Roles
{
    public const string CommuneOfficer = Domain.Reviews.AssessmentWorkflow.RoleNames.CommuneOfficer;
    public const string DepartmentOfficer = "DepartmentOfficer"; // takes no part in the review workflow
    public const string DistrictReviewer = Domain.Reviews.AssessmentWorkflow.RoleNames.DistrictReviewer;
    public const string CouncilMember = Domain.Reviews.AssessmentWorkflow.RoleNames.CouncilMember;
    public const string CouncilChair = Domain.Reviews.AssessmentWorkflow.RoleNames.CouncilChair;
    public const string CouncilSecretary = Domain.Reviews.AssessmentWorkflow.RoleNames.CouncilSecretary;
    public const string ProvincialAdmin = Domain.Reviews.AssessmentWorkflow.RoleNames.ProvincialAdmin;
    public const string SystemAdmin = Domain.Reviews.AssessmentWorkflow.RoleNames.SystemAdmin;

    public static IReadOnlyList<string> All { get; } =
        [CommuneOfficer, DepartmentOfficer, DistrictReviewer, CouncilMember, CouncilChair, CouncilSecretary, ProvincialAdmin, SystemAdmin];

    /// <summary>Roles that must sign in with an authenticator app by default (setting Security:RequireTwoFactorForPrivilegedRoles).</summary>
    public static IReadOnlyList<string> Privileged { get; } = [CouncilMember, CouncilChair, CouncilSecretary, ProvincialAdmin, SystemAdmin];

    public static IReadOnlyList<string> Admins { get; } = [ProvincialAdmin, SystemAdmin];

    public static string DisplayName(string role) => role switch
    {
        CommuneOfficer => "Cán bộ cấp xã",
        DepartmentOfficer => "Cán bộ phòng/ban",
        DistrictReviewer => "Cán bộ thẩm tra cấp huyện (Phòng Văn hóa và Thông tin)",
        CouncilMember => "Thành viên Hội đồng thẩm định",
        CouncilChair => "Chủ tịch Hội đồng thẩm định",
        CouncilSecretary => "Thư ký Hội đồng thẩm định",
        ProvincialAdmin => "Quản trị cấp tỉnh",
        SystemAdmin => "Quản trị hệ thống",
        _ => role,
    };

    /// <summary>Reads a role from a spreadsheet cell: the identifier or the Vietnamese name, accents optional.</summary>
    public static string? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var folded = Domain.VietnameseText.Fold(text);
        foreach (var role in All)
        {
            if (string.Equals(role, text.Trim(), StringComparison.OrdinalIgnoreCase)) return role;
            if (Domain.VietnameseText.Fold(DisplayName(role)) == folded) return role;
        }
        return folded switch
        {
            "can bo xa" => CommuneOfficer,
            "can bo phong ban" or "phong ban" => DepartmentOfficer,
            "tham tra huyen" or "phong van hoa va thong tin" => DistrictReviewer,
            "hoi dong" or "thanh vien hoi dong" => CouncilMember,
            "chu tich hoi dong" => CouncilChair,
            "thu ky hoi dong" => CouncilSecretary,
            "quan tri tinh" => ProvincialAdmin,
            "quan tri he thong" => SystemAdmin,
            _ => null,
        };
    }
}
