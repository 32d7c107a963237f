using DtiPortal.Application.Assessments;
using DtiPortal.Application.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static DtiPortal.Integration.Tests.Notifications.NotificationFixture;

namespace DtiPortal.Integration.Tests.Notifications;

/// <summary>
/// Each test uses deadlines in a year of its own, so one test's round never has a deadline in another test's window
/// (RunOnceAsync looks at every open round).
/// </summary>
public class DeadlineReminderTests(NotificationFixture fx) : IClassFixture<NotificationFixture>
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>9:00 in Vietnam, <paramref name="daysBefore"/> days before <paramref name="deadline"/>.</summary>
    private static DateTimeOffset Before(DateOnly deadline, int daysBefore) =>
        new DateTimeOffset(deadline.AddDays(-daysBefore).ToDateTime(new TimeOnly(9, 0)), Vietnam);

    private async Task<int> RunAsync(DateTimeOffset now)
    {
        await using var scope = fx.Db.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeadlineReminders>().RunOnceAsync(now);
    }

    private Task<List<Notification>> RemindersAsync(int roundId) =>
        fx.NotificationsAsync(q => q.Where(n => n.DedupKey!.StartsWith($"reminder:{roundId}:")));

    /// <summary>7 or 1: the reminder's tier in its dedup key (reminder:{round}:{deadline}:{date}:{tier}:{user}).</summary>
    private static string Tier(Notification n) => n.DedupKey!.Split(':')[4];

    private static string[] Users(IEnumerable<Notification> ns) => [.. ns.Select(n => n.UserId).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task EntryDeadline_RemindsSevenDaysAndOneDayBefore_EachOnce_AndNothingAfter()
    {
        var entry = new DateOnly(2030, 12, 14);
        var (round, a) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true,
            ("C1", AssessmentStatus.Draft), ("C2", AssessmentStatus.Submitted), ("C3", AssessmentStatus.Returned));

        Assert.Equal(0, await RunAsync(Before(entry, 8)));
        Assert.Empty(await RemindersAsync(round));

        Assert.Equal(3, await RunAsync(Before(entry, 7)));
        var seven = await RemindersAsync(round);
        // Officers of the units still entering (C1 draft, C3 returned); not C2's (submitted).
        Assert.Equal(new[] { DeptC1, OfficerC1, OfficerC3 }, Users(seven));
        var hoa = seven.Single(n => n.UserId == OfficerC1);
        Assert.Equal(NotificationKind.DeadlineReminder, hoa.Kind);
        Assert.Equal("Còn 7 ngày đến hạn nộp bản đánh giá (14/12/2030): 1 bản đánh giá chưa nộp", hoa.Title);
        Assert.Contains("Xã Lạc Đạo", hoa.Body);
        Assert.Equal($"/danh-gia/{a["C1"]}", hoa.Link);
        Assert.Equal($"reminder:{round}:entry:20301214:7:{OfficerC1}", hoa.DedupKey);

        Assert.Equal(0, await RunAsync(Before(entry, 7).AddHours(3))); // the job runs again: nothing new
        Assert.Equal(0, await RunAsync(Before(entry, 2)));              // still the 7-day window: already sent
        Assert.Equal(3, (await RemindersAsync(round)).Count);

        Assert.Equal(3, await RunAsync(Before(entry, 1)));
        var one = (await RemindersAsync(round)).Where(n => Tier(n) == "1").ToList();
        Assert.Equal(new[] { DeptC1, OfficerC1, OfficerC3 }, Users(one));
        Assert.StartsWith("Còn 1 ngày đến hạn nộp bản đánh giá (14/12/2030)", one[0].Title);

        Assert.Equal(0, await RunAsync(Before(entry, 0)));  // deadline day: the 1-day reminder was sent
        Assert.Equal(0, await RunAsync(Before(entry, -1))); // after the deadline: nothing
        Assert.Equal(6, (await RemindersAsync(round)).Count);

        // Each reminder of someone with an address has its e-mail, linked to the notification.
        await using var db = fx.Db.OwnerContext();
        var ids = (await RemindersAsync(round)).Where(n => n.UserId == OfficerC1).Select(n => (long?)n.Id).ToList();
        var mails = await db.EmailOutbox.AsNoTracking().Where(m => ids.Contains(m.NotificationId)).ToListAsync();
        Assert.Equal(2, mails.Count);
        Assert.All(mails, m => Assert.Equal("hoa.c1@example.vn", m.ToAddress));
        Assert.Contains(mails, m => m.Subject == hoa.Title && m.Body.Contains("Xem chi tiết: /danh-gia/"));
    }

    [Fact]
    public async Task Reminders_CountDaysInVietnamTime()
    {
        var entry = new DateOnly(2031, 6, 20);
        var (round, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true, ("C2", AssessmentStatus.Draft));

        // 23:30 UTC on 12 June is 06:30 on 13 June in Hà Nội: 7 days before the deadline there (8 in UTC).
        Assert.Equal(1, await RunAsync(new DateTimeOffset(2031, 6, 12, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(OfficerC2, Assert.Single(await RemindersAsync(round)).UserId);
    }

    [Fact]
    public async Task AJobThatWasDown_CatchesUp_ButNeverAfterTheDeadline()
    {
        var entry = new DateOnly(2032, 3, 10);
        var (late, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true, ("C2", AssessmentStatus.Draft));
        Assert.Equal(1, await RunAsync(Before(entry, 2))); // first run 2 days before: the 7-day reminder, saying 2 days
        var n = Assert.Single(await RemindersAsync(late));
        Assert.Equal("Còn 2 ngày đến hạn nộp bản đánh giá (10/03/2032): 1 bản đánh giá chưa nộp", n.Title);
        Assert.Equal("7", Tier(n));

        var entry2 = new DateOnly(2033, 3, 10);
        var (deadlineDay, _) = await fx.NewRoundAsync(entry2, entry2.AddDays(10), entry2.AddDays(20), hasDistrictTier: true, ("C2", AssessmentStatus.Draft));
        Assert.Equal(1, await RunAsync(Before(entry2, 0))); // on the deadline itself: the 1-day one
        var today = Assert.Single(await RemindersAsync(deadlineDay));
        Assert.StartsWith("Hôm nay là hạn nộp bản đánh giá (10/03/2033)", today.Title);
        Assert.Equal("1", Tier(today));

        var entry3 = new DateOnly(2034, 3, 10);
        var (missed, _) = await fx.NewRoundAsync(entry3, entry3.AddDays(10), entry3.AddDays(20), hasDistrictTier: true, ("C2", AssessmentStatus.Draft));
        Assert.Equal(0, await RunAsync(Before(entry3, -1)));
        Assert.Empty(await RemindersAsync(missed));
    }

    [Fact]
    public async Task ReviewAndCouncilDeadlines_RemindTheReviewersAndTheCouncilAboveThePendingUnits()
    {
        var review = new DateOnly(2035, 5, 15);
        var council = review.AddDays(15);
        var (round, a) = await fx.NewRoundAsync(review.AddDays(-10), review, council, hasDistrictTier: true,
            ("C1", AssessmentStatus.Submitted), ("C2", AssessmentStatus.UnderDistrictReview), ("C3", AssessmentStatus.Forwarded));

        Assert.Equal(1, await RunAsync(Before(review, 7)));
        var r = Assert.Single(await RemindersAsync(round)); // D1's active reviewer; not the disabled one, not D2's (C3 is forwarded)
        Assert.Equal(ReviewerD1, r.UserId);
        Assert.Equal("Còn 7 ngày đến hạn thẩm tra (15/05/2035): 2 bản đánh giá đang chờ thẩm tra", r.Title);
        Assert.Contains("Xã Chỉ Đạo, Xã Lạc Đạo", r.Body);
        Assert.Equal("/tham-dinh", r.Link);

        Assert.Equal(3, await RunAsync(Before(council, 1)));
        var c = (await RemindersAsync(round)).Where(n => n.DedupKey!.Contains(":council:")).ToList();
        Assert.Equal(CouncilP.Order(StringComparer.Ordinal), Users(c)); // not the council of province Q
        Assert.All(c, n => Assert.Equal("Còn 1 ngày đến hạn thẩm định (30/05/2035): 1 bản đánh giá đang chờ thẩm định", n.Title));
        Assert.All(c, n => Assert.Equal($"/tham-dinh/{a["C3"]}", n.Link));
    }

    [Fact]
    public async Task WithoutDistrictTier_SubmittedAssessmentsWaitForTheCouncil_AndNobodyReviews()
    {
        var council = new DateOnly(2036, 9, 30);
        var (round, _) = await fx.NewRoundAsync(council.AddDays(-20), council.AddDays(-7), council, hasDistrictTier: false,
            ("C1", AssessmentStatus.Submitted), ("C3", AssessmentStatus.UnderCouncilAppraisal));

        Assert.Equal(0, await RunAsync(Before(council.AddDays(-7), 1))); // the review deadline does not exist in a two-tier round
        Assert.Equal(3, await RunAsync(Before(council, 7)));
        var c = await RemindersAsync(round);
        Assert.Equal(CouncilP.Order(StringComparer.Ordinal), Users(c));
        Assert.All(c, n => Assert.EndsWith("2 bản đánh giá đang chờ thẩm định", n.Title));
    }

    [Fact]
    public async Task ClosedRounds_AreNotReminded()
    {
        var entry = new DateOnly(2037, 4, 10);
        var (round, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true, ("C1", AssessmentStatus.Draft));
        await using (var db = fx.Db.OwnerContext())
            await db.Database.ExecuteSqlAsync($"update assessment_rounds set status = 'Closed' where id = {round}");
        Assert.Equal(0, await RunAsync(Before(entry, 7)));
        Assert.Empty(await RemindersAsync(round));
    }

    [Fact]
    public async Task ConcurrentRuns_NeverDuplicate()
    {
        var entry = new DateOnly(2038, 11, 20);
        var (round, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true,
            ("C1", AssessmentStatus.Draft), ("C2", AssessmentStatus.Draft), ("C3", AssessmentStatus.Returned));
        var now = Before(entry, 7);

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunAsync(now))));

        var reminders = await RemindersAsync(round);
        Assert.Equal(4, reminders.Count); // C1's two officers, C2's and C3's
        Assert.Equal(reminders.Count, counts.Sum());
        Assert.Equal(reminders.Count, reminders.Select(n => n.UserId).Distinct().Count());
        await using var db = fx.Db.OwnerContext();
        var ids = reminders.Select(n => (long?)n.Id).ToList();
        Assert.Equal(1, await db.EmailOutbox.CountAsync(m => ids.Contains(m.NotificationId))); // only Hoa has an address
    }
}
