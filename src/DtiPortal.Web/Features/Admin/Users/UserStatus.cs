using DtiPortal.Application.Identity;

namespace DtiPortal.Web.Features.Admin.Users;

internal static class UserStatus
{
    // Vietnam has no daylight saving: UTC+7 all year, whether or not the server has tzdata.
    private static readonly TimeZoneInfo Vietnam = TimeZoneInfo.CreateCustomTimeZone("ICT", TimeSpan.FromHours(7), "Giờ Việt Nam", "Giờ Việt Nam");

    public static string Text(UserListItem u) =>
        u.IsDisabled ? "Đã khóa"
        : u.LockedOutUntil is { } until ? $"Tạm khóa đến {TimeZoneInfo.ConvertTime(until, Vietnam):HH:mm dd/MM/yyyy} (đăng nhập sai nhiều lần)"
        : "Đang hoạt động";
}
