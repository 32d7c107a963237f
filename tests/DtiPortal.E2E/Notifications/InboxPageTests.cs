using DtiPortal.Application.Data;
using DtiPortal.Application.Notifications;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Notifications;

/// <summary>Issue 6: the inbox and the header's bell, clicked through in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public class InboxPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;

    public async Task InitializeAsync() => _app = await AppServer.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Inbox_MarkingRead_UpdatesTheBell()
    {
        await using (var db = Database.CreateOwnerContext(_app.Services))
        {
            var userId = await db.Users.Where(u => u.UserName == "xa.lacdao").Select(u => u.Id).SingleAsync();
            var at = DateTimeOffset.UtcNow.AddHours(-1);
            db.Notifications.AddRange(
                new Notification(userId, NotificationKind.Returned, "Bản đánh giá của Xã Lạc Đạo bị trả lại: Thiếu văn bản", "Lý do: Thiếu văn bản", "/danh-gia", 1, at),
                new Notification(userId, NotificationKind.DeadlineReminder, "Còn 7 ngày đến hạn nộp bản đánh giá", "Nhắc hạn", "/danh-gia", null, at.AddMinutes(5)));
            await db.SaveChangesAsync();
        }
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _app, "xa.lacdao", "/thong-bao");

        await Expect(page.Locator("h1")).ToHaveTextAsync("Thông báo");
        var bell = page.GetByTestId("inbox-bell");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Thông báo: 2 chưa đọc");
        var items = page.GetByTestId("inbox-list").Locator("li");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.First).ToContainTextAsync("Còn 7 ngày đến hạn nộp bản đánh giá"); // newest first

        await items.First.GetByRole(AriaRole.Button, new() { Name = "Đánh dấu đã đọc" }).ClickAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Thông báo: 1 chưa đọc");
        await Expect(items.First).ToHaveClassAsync("read");

        await page.GetByTestId("inbox-mark-all").ClickAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Thông báo: không có thông báo chưa đọc");
        await Expect(page.Locator("li.unread")).ToHaveCountAsync(0);

        await bell.ClickAsync(); // the bell leads to the inbox from anywhere
        await Expect(page).ToHaveURLAsync(_app.BaseUrl + "/thong-bao");
        await context.CloseAsync();
    }
}
