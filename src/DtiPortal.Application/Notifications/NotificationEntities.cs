using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Notifications;

/// <summary>What a notification is about (issue 6).</summary>
public enum NotificationKind { Submitted, Returned, Forwarded, Approved, Reopened, Published, DeadlineReminder }

/// <summary>
/// One message in a user's in-app inbox. Per user, not per unit: every query filters by the signed-in user's id
/// (<see cref="UserId"/>), which is the tenancy rule here. <see cref="DedupKey"/> (unique) makes a scheduled reminder
/// idempotent across restarts and instances.
/// </summary>
public sealed class Notification
{
    private Notification() { } // EF

    public Notification(string userId, NotificationKind kind, string title, string body, string? link, int? assessmentId, DateTimeOffset createdAt, string? dedupKey = null)
    {
        UserId = userId;
        Kind = kind;
        Title = title.Length > 300 ? title[..300] : title;
        Body = body;
        Link = link;
        AssessmentId = assessmentId;
        CreatedAt = createdAt;
        DedupKey = dedupKey;
    }

    public long Id { get; private set; }
    public string UserId { get; private set; } = "";
    public NotificationKind Kind { get; private set; }
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";
    /// <summary>A local URL to open ("/tham-dinh/12").</summary>
    public string? Link { get; private set; }
    public int? AssessmentId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }
    public string? DedupKey { get; private set; }

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}

/// <summary>
/// An e-mail waiting to be sent (outbox): written in the same transaction as the event it reports, sent afterwards by a
/// background sender with retries, so a failing SMTP server never loses or blocks a workflow step.
/// </summary>
public sealed class EmailMessage
{
    private EmailMessage() { } // EF

    public EmailMessage(string toAddress, string? toName, string subject, string body, DateTimeOffset createdAt, long? notificationId = null)
    {
        ToAddress = toAddress;
        ToName = toName;
        Subject = subject;
        Body = body;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt;
        NotificationId = notificationId;
    }

    public long Id { get; private set; }
    public long? NotificationId { get; private set; }
    public string ToAddress { get; private set; } = "";
    public string? ToName { get; private set; }
    public string Subject { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public int Attempts { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    public void MarkSent(DateTimeOffset now)
    {
        SentAt = now;
        Attempts++;
        LastError = null;
    }

    /// <summary>Records a failed attempt and when to retry (exponential back-off, capped at 6 hours).</summary>
    public void MarkFailed(DateTimeOffset now, string error)
    {
        Attempts++;
        LastError = error.Length > 2000 ? error[..2000] : error;
        var minutes = Math.Min(360, Math.Pow(2, Math.Min(Attempts, 10)));
        NextAttemptAt = now.AddMinutes(minutes);
    }
}

internal sealed class NotificationConfigurations : IEntityTypeConfiguration<Notification>, IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(x => x.Id);
        // Written for other users (a reviewer's step notifies the unit's officers), whose rows the writer may not read back.
        b.Property(x => x.Id).HasColumnName("id").HasValueGenerator((_, _) => new Data.SequenceIdGenerator("notifications"));
        b.Property(x => x.UserId).HasColumnName("user_id").HasMaxLength(450).IsRequired();
        b.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.Title).HasColumnName("title").HasMaxLength(300).IsRequired();
        b.Property(x => x.Body).HasColumnName("body").IsRequired();
        b.Property(x => x.Link).HasColumnName("link").HasMaxLength(500);
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.ReadAt).HasColumnName("read_at");
        b.Property(x => x.DedupKey).HasColumnName("dedup_key").HasMaxLength(200);
        b.HasIndex(x => new { x.UserId, x.CreatedAt });
        b.HasIndex(x => x.DedupKey).IsUnique();
        b.HasOne<Identity.AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<EmailMessage> b)
    {
        b.ToTable("email_outbox");
        b.HasKey(x => x.Id);
        // Only the system reads the outbox back (the sender): users add to it without RETURNING.
        b.Property(x => x.Id).HasColumnName("id").HasValueGenerator((_, _) => new Data.SequenceIdGenerator("email_outbox"));
        b.Property(x => x.NotificationId).HasColumnName("notification_id");
        b.Property(x => x.ToAddress).HasColumnName("to_address").HasMaxLength(256).IsRequired();
        b.Property(x => x.ToName).HasColumnName("to_name").HasMaxLength(256);
        b.Property(x => x.Subject).HasColumnName("subject").HasMaxLength(300).IsRequired();
        b.Property(x => x.Body).HasColumnName("body").IsRequired();
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.SentAt).HasColumnName("sent_at");
        b.Property(x => x.Attempts).HasColumnName("attempts");
        b.Property(x => x.LastError).HasColumnName("last_error").HasMaxLength(2000);
        b.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
        b.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
    }
}
