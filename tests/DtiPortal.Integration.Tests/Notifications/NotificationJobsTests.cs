using DtiPortal.Application.Assessments;
using DtiPortal.Application.Notifications;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Notifications;

public sealed class NotificationJobsTests(NotificationFixture fx) : IClassFixture<NotificationFixture>, IDisposable
{
    private readonly string _pickup = Path.Combine(Path.GetTempPath(), "dti-jobs-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_pickup)) Directory.Delete(_pickup, recursive: true);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private ServiceProvider Services(DateTimeOffset now, int intervalSeconds = 300) =>
        TestDatabase.BuildServicesWith(fx.Db.ConnectionString, s =>
        {
            s.AddSingleton<TimeProvider>(new FixedClock(now));
            s.AddSingleton(new EmailSettings { Mode = EmailMode.Pickup, PickupDirectory = _pickup });
            s.AddSingleton(new NotificationJobSettings { IntervalSeconds = intervalSeconds, StartupDelaySeconds = 0 });
        });

    private async Task<int> RemindersAsync(int roundId)
    {
        await using var db = fx.Db.OwnerContext();
        return await db.Notifications.CountAsync(n => n.DedupKey!.StartsWith($"reminder:{roundId}:"));
    }

    [Fact]
    public async Task RunOnce_WhileAnotherInstanceHoldsTheReminderLock_SkipsReminders_ButSendsTheOutbox()
    {
        var entry = new DateOnly(2040, 8, 20);
        var (round, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true, ("C1", AssessmentStatus.Draft));
        var now = new DateTimeOffset(entry.AddDays(-7).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7));
        await using var services = Services(now);
        var jobs = ActivatorUtilities.CreateInstance<NotificationJobs>(services);

        // Another instance: a session of its own (not from the pool the job uses).
        await using (var other = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(fx.Db.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await other.OpenAsync();
            await using (var lockCmd = new NpgsqlCommand($"select pg_advisory_lock({NotificationJobs.ReminderLockKey})", other))
                await lockCmd.ExecuteScalarAsync();
            await jobs.RunOnceAsync(CancellationToken.None);
            Assert.Equal(0, await RemindersAsync(round));
            // The other instance finishes (explicitly: a closed session's locks go only when its backend has exited).
            await using var unlockCmd = new NpgsqlCommand($"select pg_advisory_unlock({NotificationJobs.ReminderLockKey})", other);
            Assert.Equal(true, await unlockCmd.ExecuteScalarAsync());
        }

        await jobs.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, await RemindersAsync(round)); // C1's commune and department officers
        // The same tick sent the e-mail of the one with an address.
        var mails = Directory.GetFiles(_pickup, "*.eml");
        Assert.Single(mails, f => File.ReadAllText(f).Contains("hoa.c1@example.vn"));
    }

    [Fact]
    public async Task Job_RunsOnItsInterval_AndStopsCleanly()
    {
        var entry = new DateOnly(2041, 2, 10);
        var (round, _) = await fx.NewRoundAsync(entry, entry.AddDays(10), entry.AddDays(20), hasDistrictTier: true, ("C2", AssessmentStatus.Draft));
        await using var services = Services(new DateTimeOffset(entry.AddDays(-1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(7)), intervalSeconds: 1);
        var jobs = ActivatorUtilities.CreateInstance<NotificationJobs>(services);

        await jobs.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await RemindersAsync(round) == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        await jobs.StopAsync(CancellationToken.None);

        Assert.Equal(1, await RemindersAsync(round));
        Assert.True(jobs.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Job_WithIntervalZero_DoesNothing()
    {
        await using var services = Services(DateTimeOffset.UtcNow, intervalSeconds: 0);
        var jobs = ActivatorUtilities.CreateInstance<NotificationJobs>(services);
        await jobs.StartAsync(CancellationToken.None);
        await jobs.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10)); // returns by itself, before any stop
        Assert.True(jobs.ExecuteTask.IsCompletedSuccessfully);
        await jobs.StopAsync(CancellationToken.None);
    }
}
