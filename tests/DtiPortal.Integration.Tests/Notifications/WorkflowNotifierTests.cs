using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DtiPortal.Integration.Tests.Notifications.NotificationFixture;

namespace DtiPortal.Integration.Tests.Notifications;

public class WorkflowNotifierTests(NotificationFixture fx) : IClassFixture<NotificationFixture>
{
    private const string RoundName = "Đợt đánh giá CĐS cấp xã năm 2024";

    private WorkflowNotice Notice(NotificationKind kind, bool districtTier = true, string? reason = null, string? criterion = null) =>
        new(kind, AssessmentId: 4242, fx.Units["C1"], "Xã Lạc Đạo", RoundId: 7, RoundName, districtTier, "Nguyễn Thị Hoa", reason, criterion);

    /// <summary>Runs the notifier on a fresh context without saving, as the lead's transition does, and returns what it added.</summary>
    private async Task<(int Count, List<Notification> Notifications, List<EmailMessage> Emails)> AddAsync(WorkflowNotice notice, WorkflowNotifier? notifier = null)
    {
        await using var db = fx.Db.OwnerContext();
        notifier ??= fx.Db.Get<WorkflowNotifier>();
        var count = await notifier.AddAsync(db, notice);
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        return (count, added.OfType<Notification>().OrderBy(n => n.UserId).ToList(), added.OfType<EmailMessage>().OrderBy(m => m.ToAddress).ToList());
    }

    private static string[] Users(IEnumerable<Notification> ns) => [.. ns.Select(n => n.UserId).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Submitted_WithDistrictTier_GoesToActiveReviewersOfTheDistrictOnly()
    {
        var (count, ns, mails) = await AddAsync(Notice(NotificationKind.Submitted));

        Assert.Equal(1, count);
        var n = Assert.Single(ns); // not the reviewer of D2, not the disabled reviewer of D1, not the council
        Assert.Equal(ReviewerD1, n.UserId);
        Assert.Equal(NotificationKind.Submitted, n.Kind);
        Assert.Equal($"Xã Lạc Đạo đã nộp bản đánh giá – {RoundName}", n.Title);
        Assert.Contains("Nguyễn Thị Hoa đã nộp bản đánh giá của Xã Lạc Đạo", n.Body);
        Assert.Contains("chờ thẩm tra cấp huyện", n.Body);
        Assert.Equal("/tham-dinh/4242", n.Link);
        Assert.Equal(4242, n.AssessmentId);
        Assert.Null(n.ReadAt);
        var mail = Assert.Single(mails);
        Assert.Equal("viet.d1@example.vn", mail.ToAddress);
        Assert.Equal("Lê Quốc Việt", mail.ToName);
        Assert.Equal(n.Title, mail.Subject);
        Assert.StartsWith("Kính gửi Lê Quốc Việt,", mail.Body);
        Assert.Contains("Xem chi tiết: /tham-dinh/4242", mail.Body); // no Email:BaseUrl in tests: the path as text
        Assert.Null(mail.SentAt);
    }

    [Fact]
    public async Task Submitted_WithoutDistrictTier_GoesToTheCouncilOfTheProvince()
    {
        var (count, ns, mails) = await AddAsync(Notice(NotificationKind.Submitted, districtTier: false));

        Assert.Equal(3, count);
        Assert.Equal(CouncilP.Order(StringComparer.Ordinal), Users(ns)); // not the chair of province Q, not the admin
        Assert.All(ns, n => Assert.Equal("/tham-dinh/4242", n.Link));
        Assert.All(ns, n => Assert.Contains("Hội đồng thẩm định", n.Body));
        Assert.Equal(["thu.p@example.vn"], mails.Select(m => m.ToAddress)); // only the chair has an address
    }

    [Fact]
    public async Task Returned_GoesToTheUnitsOfficers_WithReasonAndCriterion()
    {
        var (count, ns, mails) = await AddAsync(Notice(NotificationKind.Returned, reason: "Thiếu văn bản chứng minh", criterion: "1.2"));

        Assert.Equal(2, count);
        Assert.Equal(new[] { DeptC1, OfficerC1 }, Users(ns)); // not the officer of C2
        Assert.All(ns, n => Assert.Equal("Bản đánh giá của Xã Lạc Đạo bị trả lại: Thiếu văn bản chứng minh", n.Title));
        Assert.All(ns, n => Assert.Contains("Lý do: Thiếu văn bản chứng minh", n.Body));
        Assert.All(ns, n => Assert.Contains("Tiêu chí: 1.2", n.Body));
        Assert.All(ns, n => Assert.Contains(RoundName, n.Body));
        Assert.All(ns, n => Assert.Equal("/danh-gia/4242", n.Link));
        Assert.Equal(["hoa.c1@example.vn"], mails.Select(m => m.ToAddress));
        Assert.Contains("Xem chi tiết: /danh-gia/4242", mails[0].Body);
    }

    [Fact]
    public async Task Forwarded_GoesToTheCouncil()
    {
        var (count, ns, _) = await AddAsync(Notice(NotificationKind.Forwarded));

        Assert.Equal(3, count);
        Assert.Equal(CouncilP.Order(StringComparer.Ordinal), Users(ns));
        Assert.All(ns, n => Assert.Equal($"Xã Lạc Đạo: bản đánh giá được chuyển Hội đồng thẩm định – {RoundName}", n.Title));
    }

    [Fact]
    public async Task Approved_GoesToTheCommuneOfficerAndTheDistrictReviewer()
    {
        var (count, ns, mails) = await AddAsync(Notice(NotificationKind.Approved));

        Assert.Equal(2, count);
        Assert.Equal(new[] { OfficerC1, ReviewerD1 }, Users(ns)); // not the department officer
        Assert.Equal("/danh-gia/4242", ns.Single(n => n.UserId == OfficerC1).Link);
        Assert.Equal("/tham-dinh/4242", ns.Single(n => n.UserId == ReviewerD1).Link);
        Assert.Equal(2, mails.Count);
    }

    [Fact]
    public async Task Reopened_GoesToTheCommuneOfficerAndTheCouncil_NamingTheCriterion()
    {
        var (count, ns, _) = await AddAsync(Notice(NotificationKind.Reopened, reason: "Số liệu dân số chưa khớp", criterion: "1.3"));

        Assert.Equal(4, count);
        Assert.Equal(new[] { ChairP, MemberP, OfficerC1, SecretaryP }, Users(ns));
        Assert.All(ns, n => Assert.Equal($"Tiêu chí 1.3 của Xã Lạc Đạo được mở lại – {RoundName}", n.Title));
        Assert.All(ns, n => Assert.Contains("Lý do: Số liệu dân số chưa khớp", n.Body));
    }

    [Fact]
    public async Task Published_GoesToTheCommuneOfficer()
    {
        var (count, ns, _) = await AddAsync(Notice(NotificationKind.Published));

        Assert.Equal(1, count);
        Assert.Equal(OfficerC1, Assert.Single(ns).UserId);
        Assert.Equal($"Kết quả đánh giá của Xã Lạc Đạo đã được công bố – {RoundName}", ns[0].Title);
    }

    [Fact]
    public async Task DeadlineReminder_IsNotAWorkflowNotice()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => AddAsync(Notice(NotificationKind.DeadlineReminder)));
    }

    [Fact]
    public async Task EmailModeNone_AddsNoEmails()
    {
        var notifier = new WorkflowNotifier(new EmailSettings { Mode = EmailMode.None }, TimeProvider.System);
        var (count, ns, mails) = await AddAsync(Notice(NotificationKind.Approved), notifier);
        Assert.Equal(2, count);
        Assert.Equal(2, ns.Count);
        Assert.Empty(mails);
    }

    [Fact]
    public async Task AddAsync_WhenTheCallerSavesInItsTransaction_StoresNotificationsAndEmailsTogether()
    {
        // As the lead's transition does: the reviewer's own (tenancy-scoped) context, one transaction, one save.
        await using var scope = fx.Db.ScopeAs(fx.UserScope(ReviewerD1, "D1", Roles.DistrictReviewer));
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>();
        var notifier = scope.ServiceProvider.GetRequiredService<WorkflowNotifier>();
        var notice = Notice(NotificationKind.Forwarded) with { AssessmentId = 777001 };
        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.Equal(3, await notifier.AddAsync(db, notice));
            await db.SaveChangesAsync();
            await tx.RollbackAsync(); // the transition failed: nothing of it stays
        }
        Assert.Empty(await fx.NotificationsAsync(q => q.Where(n => n.AssessmentId == 777001)));

        await using (var db = await factory.CreateDbContextAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await notifier.AddAsync(db, notice);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        var stored = await fx.NotificationsAsync(q => q.Where(n => n.AssessmentId == 777001));
        Assert.Equal(CouncilP.Order(StringComparer.Ordinal), Users(stored));
        await using var owner = fx.Db.OwnerContext();
        var title = stored[0].Title;
        Assert.Equal(1, await owner.EmailOutbox.CountAsync(m => m.Subject == title && m.ToAddress == "thu.p@example.vn"));
    }
}
