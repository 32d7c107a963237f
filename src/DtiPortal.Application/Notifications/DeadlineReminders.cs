using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace DtiPortal.Application.Notifications;

/// <summary>The three deadlines of a round.</summary>
public enum ReminderDeadline { Entry, Review, Council }

/// <summary>
/// Reminders 7 days and 1 day before each deadline of every open round (issue 6), counted in Vietnam's calendar (UTC+7):
/// <list type="bullet">
/// <item>entry deadline → commune and department officers of units whose assessment is Draft or Returned;</item>
/// <item>review deadline (rounds with a district tier) → district reviewers above units whose assessment is Submitted or UnderDistrictReview;</item>
/// <item>council deadline → the council above units whose assessment is Forwarded or UnderCouncilAppraisal (or Submitted, in rounds without a district tier).</item>
/// </list>
/// One notification per person per reminder, saying how many assessments are pending, plus its e-mail. The 7-day reminder
/// is due from 7 days before until 2 days before (so a job that was down catches up), the 1-day one on the last day and on
/// the deadline itself; nothing after the deadline. Each reminder has a dedup key
/// (<c>reminder:{round}:{entry|review|council}:{deadline yyyyMMdd}:{7|1}:{user}</c>, unique in the table) and is inserted with
/// <c>ON CONFLICT DO NOTHING</c>, so runs repeated or concurrent on several instances never remind twice; a deadline moved
/// later (an extension) is a new deadline and reminds again. Reads assessments as the system.
/// </summary>
public sealed class DeadlineReminders(DbContextOptions<DtiDbContext> options, EmailSettings email, ILogger<DeadlineReminders> logger)
{
    /// <summary>Creates the reminders due at <paramref name="now"/>; returns how many notifications were created.</summary>
    public async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = new DtiDbContext(options, FixedUnitScope.System);
        var today = NotificationText.VietnamToday(now);
        var rounds = await db.AssessmentRounds.AsNoTracking()
            .Where(r => r.Status == RoundStatus.Open)
            .Select(r => new RoundInfo(r.Id, r.Name, r.HasDistrictTier, r.EntryDeadline, r.ReviewDeadline, r.CouncilDeadline))
            .ToListAsync(ct);

        var created = 0;
        foreach (var round in rounds)
        {
            foreach (var (deadline, date) in Deadlines(round))
            {
                var daysLeft = date.DayNumber - today.DayNumber;
                int? tier = daysLeft switch { >= 2 and <= 7 => 7, 0 or 1 => 1, _ => null };
                if (tier is null) continue;
                created += await RemindAsync(db, round, deadline, date, daysLeft, tier.Value, now, ct);
            }
        }
        if (created > 0) logger.LogInformation("Created {Count} deadline reminder(s)", created);
        return created;
    }

    private sealed record RoundInfo(int Id, string Name, bool HasDistrictTier, DateOnly Entry, DateOnly Review, DateOnly Council);

    private static IEnumerable<(ReminderDeadline, DateOnly)> Deadlines(RoundInfo r)
    {
        yield return (ReminderDeadline.Entry, r.Entry);
        if (r.HasDistrictTier) yield return (ReminderDeadline.Review, r.Review);
        yield return (ReminderDeadline.Council, r.Council);
    }

    private static AssessmentStatus[] PendingStatuses(ReminderDeadline deadline, bool hasDistrictTier) => deadline switch
    {
        ReminderDeadline.Entry => [AssessmentStatus.Draft, AssessmentStatus.Returned],
        ReminderDeadline.Review => [AssessmentStatus.Submitted, AssessmentStatus.UnderDistrictReview],
        _ => hasDistrictTier
            ? [AssessmentStatus.Forwarded, AssessmentStatus.UnderCouncilAppraisal]
            : [AssessmentStatus.Submitted, AssessmentStatus.Forwarded, AssessmentStatus.UnderCouncilAppraisal],
    };

    private async Task<int> RemindAsync(DtiDbContext db, RoundInfo round, ReminderDeadline deadline, DateOnly date, int daysLeft, int tier,
        DateTimeOffset now, CancellationToken ct)
    {
        var statuses = PendingStatuses(deadline, round.HasDistrictTier);
        var pending = await db.Assessments.AsNoTracking()
            .Where(a => a.RoundId == round.Id && statuses.Contains(a.Status))
            .Select(a => new { a.Id, a.UnitId })
            .ToListAsync(ct);
        if (pending.Count == 0) return 0;
        var unitIds = pending.Select(p => p.UnitId).Distinct().ToArray();

        // Who is reminded, and of which of the pending assessments.
        List<(Recipient User, List<(int AssessmentId, int UnitId)> Items)> targets;
        if (deadline == ReminderDeadline.Entry)
        {
            var users = await Recipients.InUnitsAsync(db, unitIds, Recipients.UnitOfficers, ct);
            targets = [.. users.Select(u => (u, pending.Where(p => p.UnitId == u.UnitId).Select(p => (p.Id, p.UnitId)).ToList()))];
        }
        else
        {
            var ancestors = (await Recipients.AncestorsAsync(db, unitIds, ct)).ToLookup(a => a.AncestorId, a => a.UnitId);
            var roles = deadline == ReminderDeadline.Review ? Recipients.Reviewers : Recipients.Council;
            var users = await Recipients.InUnitsAsync(db, ancestors.Select(g => g.Key).ToArray(), roles, ct);
            targets = [.. users.Select(u =>
            {
                var below = ancestors[u.UnitId].ToHashSet();
                return (u, pending.Where(p => below.Contains(p.UnitId)).Select(p => (p.Id, p.UnitId)).ToList());
            })];
        }
        targets.RemoveAll(t => t.Items.Count == 0);
        if (targets.Count == 0) return 0;

        // Skip what an earlier run already created (cheap: the job runs every few minutes for days); the insert's
        // ON CONFLICT still settles races with another instance.
        var keyPrefix = string.Create(CultureInfo.InvariantCulture,
            $"reminder:{round.Id}:{deadline.ToString().ToLowerInvariant()}:{date:yyyyMMdd}:{tier}:");
        var keys = targets.Select(t => keyPrefix + t.User.UserId).ToArray();
        var existing = (await db.Notifications.AsNoTracking().Where(n => keys.Contains(n.DedupKey!)).Select(n => n.DedupKey!).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);

        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var created = 0;
        await db.Database.OpenConnectionAsync(ct); // through EF: the application role and the system scope
        try
        {
            foreach (var (user, items) in targets)
            {
                var key = keyPrefix + user.UserId;
                if (existing.Contains(key)) continue;
                var unitNames = items.Select(i => names.GetValueOrDefault(i.UnitId, "?")).Distinct().Order(StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), false)).ToList();
                var (title, body) = NotificationText.Reminder(deadline, round.Name, date, daysLeft, unitNames);
                int? assessmentId = items.Count == 1 ? items[0].AssessmentId : null;
                var link = deadline == ReminderDeadline.Entry
                    ? (assessmentId is { } a ? NotificationText.UnitLink(a) : NotificationText.UnitListLink)
                    : (assessmentId is { } b ? NotificationText.ReviewLink(b) : NotificationText.ReviewListLink);
                if (await InsertAsync(db, user, title, body, link, assessmentId, key, now, ct)) created++;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return created;
    }

    /// <summary>Inserts one reminder and, only when it is new, its e-mail: one statement, so both or neither.</summary>
    private async Task<bool> InsertAsync(DtiDbContext db, Recipient user, string title, string body, string link, int? assessmentId, string key,
        DateTimeOffset now, CancellationToken ct)
    {
        var withMail = email.Enabled && !string.IsNullOrWhiteSpace(user.Email);
        await using var cmd = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = $"""
            with n as (
                insert into notifications (user_id, kind, title, body, link, assessment_id, created_at, dedup_key)
                values (@user, @kind, @title, @body, @link, @assessment, @now, @key)
                on conflict (dedup_key) do nothing
                returning id)
            {(withMail ? """
                , e as (
                insert into email_outbox (notification_id, to_address, to_name, subject, body, created_at, attempts, next_attempt_at)
                select id, @to, @toName, @subject, @mail, @now, 0, @now from n
                returning id)
                """ : "")}
            select count(*) from n
            """;
        var at = now.ToUniversalTime();
        cmd.Parameters.AddWithValue("user", user.UserId);
        cmd.Parameters.AddWithValue("kind", nameof(NotificationKind.DeadlineReminder));
        cmd.Parameters.AddWithValue("title", NotificationText.Clip(title, 300));
        cmd.Parameters.AddWithValue("body", body);
        cmd.Parameters.AddWithValue("link", link);
        cmd.Parameters.Add(new NpgsqlParameter("assessment", NpgsqlDbType.Integer) { Value = (object?)assessmentId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("now", at);
        cmd.Parameters.AddWithValue("key", key);
        if (withMail)
        {
            var mail = WorkflowNotifier.NewEmail(user, title, body, link, at, email);
            cmd.Parameters.AddWithValue("to", mail.ToAddress);
            cmd.Parameters.Add(new NpgsqlParameter("toName", NpgsqlDbType.Varchar) { Value = (object?)mail.ToName ?? DBNull.Value });
            cmd.Parameters.AddWithValue("subject", mail.Subject);
            cmd.Parameters.AddWithValue("mail", mail.Body);
        }
        var inserted = Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        return inserted > 0;
    }
}
