using System.Net;
using System.Net.Mail;
using System.Text;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Application.Notifications;

/// <summary>
/// Sends what is due in the e-mail outbox (<c>email_outbox</c>: not sent, <c>next_attempt_at</c> reached, fewer than
/// <see cref="EmailSettings.MaxAttempts"/> attempts), in batches. Safe on several instances at once: a batch is claimed in
/// one statement with <c>FOR UPDATE SKIP LOCKED</c>, which also moves the rows' next attempt a lease ahead, so no other
/// instance takes them while they are being sent and an instance that dies mid-batch leaves them to be retried after the
/// lease. Each result is written with <see cref="EmailMessage.MarkSent"/> or <see cref="EmailMessage.MarkFailed"/>
/// (exponential back-off); a failure never throws out of <see cref="DispatchOnceAsync"/>. Updates bypass the change
/// tracker on purpose: outbox bookkeeping is not a decision, so it is not written to the audit trail.
/// </summary>
public sealed class EmailDispatcher(DbContextOptions<DtiDbContext> options, EmailSettings settings, TimeProvider clock, ILogger<EmailDispatcher> logger)
{
    /// <summary>How long a claimed message stays invisible to other dispatchers while it is being sent.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);
    private const int MaxBatchesPerRun = 50;

    /// <summary>Sends every due message (up to 50 batches) and returns how many were sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct = default)
    {
        if (!settings.Enabled) return 0;
        var sent = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var (claimed, ok) = await SendBatchAsync(ct);
            sent += ok;
            if (claimed < settings.BatchSize) break;
        }
        return sent;
    }

    private async Task<(int Claimed, int Sent)> SendBatchAsync(CancellationToken ct)
    {
        await using var db = new DtiDbContext(options, FixedUnitScope.System);
        var now = clock.GetUtcNow();
        var ids = await ClaimAsync(db, now, ct);
        if (ids.Count == 0) return (0, 0);
        var messages = await db.EmailOutbox.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync(ct);

        var sent = 0;
        using var client = CreateClient();
        foreach (var message in messages)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                using var mail = ToMail(message);
                await client.SendMailAsync(mail, ct);
                message.MarkSent(clock.GetUtcNow());
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var error = ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";
                message.MarkFailed(clock.GetUtcNow(), error);
                logger.LogWarning("E-mail {Id} to {Address} failed (attempt {Attempts}, next at {Next:O}): {Error}",
                    message.Id, message.ToAddress, message.Attempts, message.NextAttemptAt, error);
            }
            // Written even when cancelled afterwards: a sent mail must not be sent twice.
            await db.EmailOutbox.Where(m => m.Id == message.Id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.SentAt, message.SentAt)
                .SetProperty(m => m.Attempts, message.Attempts)
                .SetProperty(m => m.LastError, message.LastError)
                .SetProperty(m => m.NextAttemptAt, message.NextAttemptAt), CancellationToken.None);
        }
        return (ids.Count, sent);
    }

    private async Task<List<long>> ClaimAsync(DtiDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct); // through EF, so the connection gets the application role and the system scope
        await using var cmd = (NpgsqlCommand)db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """
            update email_outbox set next_attempt_at = @lease
            where id in (
                select id from email_outbox
                where sent_at is null and next_attempt_at <= @now and attempts < @max
                order by next_attempt_at, id
                limit @batch
                for update skip locked)
            returning id
            """;
        cmd.Parameters.AddWithValue("lease", (now + Lease).ToUniversalTime());
        cmd.Parameters.AddWithValue("now", now.ToUniversalTime());
        cmd.Parameters.AddWithValue("max", settings.MaxAttempts);
        cmd.Parameters.AddWithValue("batch", settings.BatchSize);
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetInt64(0));
        return ids;
    }

    private SmtpClient CreateClient()
    {
        if (settings.Mode == EmailMode.Pickup)
        {
            Directory.CreateDirectory(settings.PickupDirectory);
            return new SmtpClient
            {
                DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
                PickupDirectoryLocation = settings.PickupDirectory,
            };
        }
        var smtp = settings.Smtp;
        var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = smtp.EnableSsl,
            Timeout = Math.Max(1, smtp.TimeoutSeconds) * 1000,
        };
        if (!string.IsNullOrEmpty(smtp.UserName))
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);
        return client;
    }

    private MailMessage ToMail(EmailMessage message)
    {
        var mail = new MailMessage
        {
            From = new MailAddress(settings.From),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = message.Body,
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        mail.To.Add(string.IsNullOrWhiteSpace(message.ToName)
            ? new MailAddress(message.ToAddress)
            : new MailAddress(message.ToAddress, message.ToName, Encoding.UTF8));
        mail.Headers.Add("X-DtiPortal-Outbox-Id", message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return mail;
    }
}
