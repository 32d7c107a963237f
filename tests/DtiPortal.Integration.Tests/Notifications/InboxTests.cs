using System.Net;
using System.Text.RegularExpressions;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Notifications;
using DtiPortal.Application.Tenancy;
using DtiPortal.Web.Components.Layout;
using DtiPortal.Web.Features.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static DtiPortal.Integration.Tests.Notifications.NotificationFixture;

namespace DtiPortal.Integration.Tests.Notifications;

public partial class InboxTests(NotificationFixture fx) : IClassFixture<NotificationFixture>
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Gives each user <paramref name="count"/> notifications, an hour apart, numbered in the title.</summary>
    private async Task<Dictionary<string, List<long>>> SeedAsync(int count, params string[] users)
    {
        await using var db = fx.Db.OwnerContext();
        var all = new Dictionary<string, List<Notification>>();
        foreach (var user in users)
        {
            all[user] = [.. Enumerable.Range(1, count).Select(i =>
                new Notification(user, NotificationKind.Submitted, $"Thông báo số {i} của {user}", "Nội dung", $"/tham-dinh/{i}", i, T0.AddHours(i)))];
            db.Notifications.AddRange(all[user]);
        }
        await db.SaveChangesAsync();
        return all.ToDictionary(kv => kv.Key, kv => kv.Value.Select(n => n.Id).ToList());
    }

    private async Task<T> AsUserAsync<T>(string userId, Func<InboxQueries, Task<T>> action)
    {
        await using var scope = fx.Db.ScopeAs(fx.UserScope(userId, "P", Roles.CouncilMember));
        return await action(scope.ServiceProvider.GetRequiredService<InboxQueries>());
    }

    [Fact]
    public async Task ListAsync_ShowsOnlyTheUsersOwnNotifications_NewestFirst_InPages()
    {
        await SeedAsync(3, ChairP, MemberP);

        var page1 = await AsUserAsync(ChairP, q => q.ListAsync(page: 1, pageSize: 2));
        Assert.Equal(3, page1.Total);
        Assert.Equal(3, page1.Unread);
        Assert.Equal(2, page1.PageCount);
        Assert.Equal(["Thông báo số 3 của chair-p", "Thông báo số 2 của chair-p"], page1.Items.Select(i => i.Title));
        var page2 = await AsUserAsync(ChairP, q => q.ListAsync(page: 2, pageSize: 2));
        Assert.Equal("Thông báo số 1 của chair-p", Assert.Single(page2.Items).Title);
        Assert.Equal(3, await AsUserAsync(ChairP, q => q.UnreadCountAsync()));
    }

    [Fact]
    public async Task MarkReadAsync_RefusesAnotherUsersNotification()
    {
        var ids = await SeedAsync(2, ReviewerD1, ReviewerD2);
        var theirs = ids[ReviewerD2][0];

        Assert.False(await AsUserAsync(ReviewerD1, q => q.MarkReadAsync(theirs)));
        Assert.False(await AsUserAsync(ReviewerD1, q => q.MarkReadAsync(-1)));
        Assert.True(await AsUserAsync(ReviewerD1, q => q.MarkReadAsync(ids[ReviewerD1][0])));
        Assert.True(await AsUserAsync(ReviewerD1, q => q.MarkReadAsync(ids[ReviewerD1][0]))); // again: still theirs, still read

        var other = await AsUserAsync(ReviewerD2, q => q.ListAsync());
        Assert.All(other.Items, i => Assert.False(i.IsRead));
        Assert.Equal(2, other.Unread);
        var mine = await AsUserAsync(ReviewerD1, q => q.ListAsync(unreadOnly: true));
        Assert.Equal(1, mine.Total);
        Assert.Equal(ids[ReviewerD1][1], Assert.Single(mine.Items).Id);
    }

    [Fact]
    public async Task MarkAllReadAsync_MarksOnlyTheUsersOwn()
    {
        await SeedAsync(3, OfficerC2, OfficerC3);

        Assert.Equal(3, await AsUserAsync(OfficerC2, q => q.MarkAllReadAsync()));
        Assert.Equal(0, await AsUserAsync(OfficerC2, q => q.UnreadCountAsync()));
        Assert.Equal(0, await AsUserAsync(OfficerC2, q => q.MarkAllReadAsync()));
        Assert.Equal(3, await AsUserAsync(OfficerC3, q => q.UnreadCountAsync()));
        var read = await AsUserAsync(OfficerC2, q => q.ListAsync());
        Assert.All(read.Items, i => Assert.NotNull(i.ReadAt));
    }

    [Fact]
    public async Task WithoutAUser_TheInboxIsEmpty()
    {
        await SeedAsync(1, AdminP);
        foreach (var scope in new IUnitScope[] { FixedUnitScope.System, FixedUnitScope.Nobody })
        {
            await using var s = fx.Db.ScopeAs(scope);
            var inbox = s.ServiceProvider.GetRequiredService<InboxQueries>();
            Assert.Equal(0, (await inbox.ListAsync()).Total);
            Assert.Equal(0, await inbox.UnreadCountAsync());
            Assert.Equal(0, await inbox.MarkAllReadAsync());
        }
        await using var db = fx.Db.OwnerContext();
        Assert.True(await db.Notifications.AnyAsync(n => n.UserId == AdminP && n.ReadAt == null));
    }

    [Fact]
    public async Task Page_ListsTheUsersNotificationsBoldWhenUnread_InVietnamTime()
    {
        var ids = await SeedAsync(2, SecretaryP);
        Assert.True(await AsUserAsync(SecretaryP, q => q.MarkReadAsync(ids[SecretaryP][0])));

        var html = await RenderAsync<InboxPage>(SecretaryP);
        Assert.Contains("Thông báo</h1>", html);
        Assert.Matches("role=\"note\"[^>]*>[\\s\\S]*Giờ hiển thị theo giờ Việt Nam", html);
        Assert.Contains("2 thông báo · 1 chưa đọc", html);
        // Newest first; the unread one is bold and offers "Đánh dấu đã đọc"; times in UTC+7 (T0 + 2 h = 10:00 in Hà Nội).
        // Unread is bold by the "unread" class (app.css: .inbox-list li.unread .inbox-title) and said aloud ("Chưa đọc: ").
        Assert.Matches($"(?s)data-testid=\"inbox-item-{ids[SecretaryP][1]}\" class=\"unread\".*Chưa đọc: .*Thông báo số 2 của sec-p.*01/03/2025 10:00.*>Mở</a>.*Đánh dấu đã đọc.*" +
                       $"data-testid=\"inbox-item-{ids[SecretaryP][0]}\" class=\"read\".*Thông báo số 1 của sec-p.*01/03/2025 09:00", html);
        Assert.Contains("Đánh dấu tất cả đã đọc", html);
        Assert.DoesNotContain("của chair-p", html);
    }

    [Fact]
    public async Task Page_WithNothing_SaysSo_AndTheBellSaysNoneUnread()
    {
        var html = await RenderAsync<InboxPage>(ChairQ);
        Assert.Contains("Chưa có thông báo nào.", html);
        Assert.DoesNotContain("Đánh dấu tất cả đã đọc", html);
        var bell = await RenderAsync<InboxBell>(ChairQ);
        Assert.Contains("aria-label=\"Thông báo: không có thông báo chưa đọc\"", bell);
        Assert.Contains("href=\"/thong-bao\"", bell);
    }

    [Fact]
    public async Task Bell_ShowsTheUnreadCount()
    {
        await SeedAsync(3, ReviewerD1Disabled); // a user no other test of this class gives notifications
        var bell = await RenderAsync<InboxBell>(ReviewerD1Disabled);
        Assert.Contains("aria-label=\"Thông báo: 3 chưa đọc\"", bell);
        Assert.Matches("(?s)data-testid=\"inbox-unread\".*>3</span>", bell);
    }

    private async Task<string> RenderAsync<TComponent>(string userId) where TComponent : IComponent
    {
        await using var scope = fx.Db.ScopeAs(fx.UserScope(userId, "P", Roles.CouncilMember));
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.Empty);
            await output.QuiescenceTask;
            return output.ToHtmlString();
        });
        return WhiteSpace().Replace(WebUtility.HtmlDecode(html), " ").Replace("> <", "><");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
