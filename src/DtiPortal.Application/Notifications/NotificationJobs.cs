using DtiPortal.Application.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Application.Notifications;

/// <summary>
/// The scheduled side of notifications: every <see cref="NotificationJobSettings.IntervalSeconds"/> (default 300; 0 turns
/// it off) it creates the deadline reminders that are due, then sends the e-mail outbox. Reminders run under a
/// PostgreSQL advisory lock (<c>pg_try_advisory_lock</c>, key <see cref="ReminderLockKey"/>), so with several instances
/// only one computes them at a time (the others skip that step; the dedup keys would keep them correct anyway). The
/// dispatcher needs no lock: it claims rows with <c>FOR UPDATE SKIP LOCKED</c>. A failure is logged and the job goes on
/// at the next tick; shutdown cancels the current step.
/// </summary>
public sealed class NotificationJobs(IServiceScopeFactory scopes, NotificationJobSettings settings, DatabaseConnection database,
    TimeProvider clock, ILogger<NotificationJobs> logger) : BackgroundService
{
    /// <summary>The advisory lock key of the reminders ("DTIREMND" in ASCII).</summary>
    public const long ReminderLockKey = 0x445449_52454D4E44;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.IntervalSeconds <= 0)
        {
            logger.LogInformation("Notification jobs are off (Notifications:IntervalSeconds = 0)");
            return;
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.StartupDelaySeconds), clock, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.IntervalSeconds), clock);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One tick: reminders (when this instance gets the lock), then the outbox. Never throws but for cancellation.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await RemindUnderLockAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Deadline reminders failed; retrying at the next run");
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var sent = await scope.ServiceProvider.GetRequiredService<EmailDispatcher>().DispatchOnceAsync(ct);
            if (sent > 0) logger.LogInformation("Sent {Count} e-mail(s)", sent);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Sending e-mails failed; retrying at the next run");
        }
    }

    private async Task RemindUnderLockAsync(CancellationToken ct)
    {
        // A session-level lock on a connection of its own, held while the reminders run on other connections.
        await using var conn = new NpgsqlConnection(database.ConnectionString);
        await conn.OpenAsync(ct);
        if (!await TryLockAsync(conn, ct))
        {
            logger.LogDebug("Deadline reminders are running on another instance; skipped");
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DeadlineReminders>().RunOnceAsync(clock.GetUtcNow(), ct);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@key)", conn);
            unlock.Parameters.AddWithValue("key", ReminderLockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None); // (the pool's DISCARD ALL would release it too)
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_try_advisory_lock(@key)", conn);
        cmd.Parameters.AddWithValue("key", ReminderLockKey);
        return await cmd.ExecuteScalarAsync(ct) is true;
    }
}
