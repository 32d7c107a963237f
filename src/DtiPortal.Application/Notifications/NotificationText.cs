using System.Globalization;

namespace DtiPortal.Application.Notifications;

/// <summary>The Vietnamese words of notifications and their e-mails, in one place.</summary>
internal static class NotificationText
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The calendar day in Vietnam (UTC+7) at <paramref name="now"/>.</summary>
    public static DateOnly VietnamToday(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(VietnamOffset).DateTime);

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", Invariant);

    public static string UnitLink(int assessmentId) => "/danh-gia/" + assessmentId.ToString(Invariant);
    public static string ReviewLink(int assessmentId) => "/tham-dinh/" + assessmentId.ToString(Invariant);
    public const string UnitListLink = "/danh-gia";
    public const string ReviewListLink = "/tham-dinh";
    public const string InboxLink = "/thong-bao";

    public static (string Title, string Body) Workflow(WorkflowNotice n)
    {
        var unit = n.UnitName.Trim();
        var round = n.RoundName.Trim();
        var actor = string.IsNullOrWhiteSpace(n.ActorName) ? "Hệ thống" : n.ActorName.Trim();
        var (title, body) = n.Kind switch
        {
            NotificationKind.Submitted => (
                $"{unit} đã nộp bản đánh giá – {round}",
                $"{actor} đã nộp bản đánh giá của {unit} ({round}). Bản đánh giá đang chờ " +
                (n.HasDistrictTier ? "thẩm tra cấp huyện." : "Hội đồng thẩm định xem xét.")),
            NotificationKind.Returned => (
                string.IsNullOrWhiteSpace(n.Reason) ? $"Bản đánh giá của {unit} bị trả lại – {round}" : $"Bản đánh giá của {unit} bị trả lại: {n.Reason.Trim()}",
                $"{actor} đã trả lại bản đánh giá của {unit} ({round}). Hãy sửa các nội dung được yêu cầu rồi nộp lại."),
            NotificationKind.Forwarded => (
                $"{unit}: bản đánh giá được chuyển Hội đồng thẩm định – {round}",
                $"{actor} đã thẩm tra và chuyển bản đánh giá của {unit} ({round}) lên Hội đồng thẩm định."),
            NotificationKind.Approved => (
                $"Bản đánh giá của {unit} đã được phê duyệt – {round}",
                $"Hội đồng thẩm định đã phê duyệt kết quả đánh giá của {unit} ({round}). Người phê duyệt: {actor}."),
            NotificationKind.Reopened => (
                string.IsNullOrWhiteSpace(n.CriterionCode)
                    ? $"Bản đánh giá của {unit} được mở lại – {round}"
                    : $"Tiêu chí {n.CriterionCode.Trim()} của {unit} được mở lại – {round}",
                $"{actor} đã mở lại " + (string.IsNullOrWhiteSpace(n.CriterionCode) ? "bản đánh giá" : $"tiêu chí {n.CriterionCode.Trim()} trong bản đánh giá") +
                $" đã phê duyệt của {unit} ({round})."),
            NotificationKind.Published => (
                $"Kết quả đánh giá của {unit} đã được công bố – {round}",
                $"{actor} đã công bố kết quả đánh giá của {unit} ({round})."),
            _ => throw new ArgumentOutOfRangeException(nameof(n), n.Kind, "Nhắc hạn do DeadlineReminders tạo, không qua WorkflowNotifier."),
        };
        if (!string.IsNullOrWhiteSpace(n.Reason)) body += "\nLý do: " + n.Reason.Trim();
        if (!string.IsNullOrWhiteSpace(n.CriterionCode) && n.Kind != NotificationKind.Reopened) body += "\nTiêu chí: " + n.CriterionCode.Trim();
        return (title, body);
    }

    /// <summary>What each deadline is called, and what is pending before it.</summary>
    public static (string Deadline, string Pending) Reminder(ReminderDeadline deadline) => deadline switch
    {
        ReminderDeadline.Entry => ("hạn nộp bản đánh giá", "chưa nộp"),
        ReminderDeadline.Review => ("hạn thẩm tra", "đang chờ thẩm tra"),
        _ => ("hạn thẩm định", "đang chờ thẩm định"),
    };

    public static (string Title, string Body) Reminder(ReminderDeadline deadline, string roundName, DateOnly date, int daysLeft, IReadOnlyList<string> unitNames)
    {
        var (what, pending) = Reminder(deadline);
        var when = daysLeft <= 0 ? $"Hôm nay là {what} ({Date(date)})" : $"Còn {daysLeft} ngày đến {what} ({Date(date)})";
        var title = $"{when}: {unitNames.Count} bản đánh giá {pending}";
        const int Listed = 10;
        var names = string.Join(", ", unitNames.Take(Listed)) + (unitNames.Count > Listed ? $" và {unitNames.Count - Listed} đơn vị khác" : "");
        var body = $"{when} của {roundName.Trim()}. Bản đánh giá {pending}: {names}.";
        return (title, body);
    }

    /// <summary>The plain-text e-mail of a notification.</summary>
    public static string EmailBody(string fullName, string body, string? link, EmailSettings settings)
    {
        var greeting = string.IsNullOrWhiteSpace(fullName) ? "Kính gửi anh/chị," : $"Kính gửi {fullName.Trim()},";
        var open = link is null ? "" : $"\n\nXem chi tiết: {settings.LinkText(link)}";
        return $"{greeting}\n\n{body}{open}\n\n--\nThư do DtiPortal gửi tự động; vui lòng không trả lời thư này. " +
               $"Mọi thông báo của anh/chị có trong mục Thông báo: {settings.LinkText(InboxLink)}\n";
    }

    public static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}
