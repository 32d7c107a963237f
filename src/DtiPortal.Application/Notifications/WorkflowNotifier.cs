using DtiPortal.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Notifications;

/// <summary>
/// A review transition that people should hear about (issue 6). <see cref="UnitName"/> and <see cref="RoundName"/> are
/// shown as they are ("Xã Lạc Đạo", "Đợt đánh giá CĐS cấp xã năm 2024"); <see cref="Reason"/> and
/// <see cref="CriterionCode"/> are added to the message when present.
/// </summary>
public sealed record WorkflowNotice(NotificationKind Kind, int AssessmentId, int UnitId, string UnitName, int RoundId, string RoundName,
    bool HasDistrictTier, string ActorName, string? Reason = null, string? CriterionCode = null);

/// <summary>
/// Adds the in-app notifications of a review transition, and their e-mails to the outbox, to the caller's context
/// without saving: the caller saves them in the transaction of the transition, so a notice exists exactly when the
/// transition does, and a failing mail server can never undo or block a step (the outbox is sent later, with retries).
/// Recipients are active users (not disabled) chosen by role and unit:
/// <list type="bullet">
/// <item>Submitted → district reviewers at the unit or above it (rounds with a district tier), else the council (above it);</item>
/// <item>Returned → the unit's commune and department officers;</item>
/// <item>Forwarded → the council;</item>
/// <item>Approved → the unit's commune officers and the district reviewers above it;</item>
/// <item>Reopened → the unit's commune officers and the council;</item>
/// <item>Published → the unit's commune officers.</item>
/// </list>
/// Unit officers get a link to the entry page (/danh-gia/{id}), reviewers and the council to the review page (/tham-dinh/{id}).
/// </summary>
public sealed class WorkflowNotifier(EmailSettings email, TimeProvider clock)
{
    /// <summary>Adds the rows to <paramref name="db"/> (not saved) and returns how many people are notified.</summary>
    public async Task<int> AddAsync(DtiDbContext db, WorkflowNotice notice, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(notice);
        var (title, body) = NotificationText.Workflow(notice); // throws for DeadlineReminder before any query

        var groups = new List<(string[] Roles, bool AtUnitOnly)>();
        switch (notice.Kind)
        {
            case NotificationKind.Submitted:
                groups.Add(notice.HasDistrictTier ? (Recipients.Reviewers, false) : (Recipients.Council, false));
                break;
            case NotificationKind.Returned:
                groups.Add((Recipients.UnitOfficers, true));
                break;
            case NotificationKind.Forwarded:
                groups.Add((Recipients.Council, false));
                break;
            case NotificationKind.Approved:
                groups.Add((Recipients.CommuneOfficers, true));
                groups.Add((Recipients.Reviewers, false));
                break;
            case NotificationKind.Reopened:
                groups.Add((Recipients.CommuneOfficers, true));
                groups.Add((Recipients.Council, false));
                break;
            case NotificationKind.Published:
                groups.Add((Recipients.CommuneOfficers, true));
                break;
        }

        IReadOnlyCollection<int>? above = null;
        var now = clock.GetUtcNow();
        var notified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (roles, atUnitOnly) in groups)
        {
            IReadOnlyCollection<int> units;
            if (atUnitOnly) units = [notice.UnitId];
            else
            {
                above ??= (await Recipients.AncestorsAsync(db, [notice.UnitId], ct)).Select(a => a.AncestorId).ToHashSet();
                units = above;
            }
            var link = atUnitOnly ? NotificationText.UnitLink(notice.AssessmentId) : NotificationText.ReviewLink(notice.AssessmentId);
            foreach (var user in await Recipients.InUnitsAsync(db, units, roles, ct))
            {
                if (!notified.Add(user.UserId)) continue; // one notice per person, whichever group named them first
                // AddAsync: the id comes from the sequence before the insert (SequenceIdGenerator), without blocking.
                await db.Notifications.AddAsync(new Notification(user.UserId, notice.Kind, title, body, link, notice.AssessmentId, now), ct);
                if (email.Enabled && !string.IsNullOrWhiteSpace(user.Email))
                    await db.EmailOutbox.AddAsync(NewEmail(user, title, body, link, now, email), ct);
            }
        }
        return notified.Count;
    }

    internal static EmailMessage NewEmail(Recipient user, string title, string body, string? link, DateTimeOffset now, EmailSettings settings, long? notificationId = null) =>
        new(NotificationText.Clip(user.Email!.Trim(), 256), NotificationText.Clip(user.FullName, 256), NotificationText.Clip(title, 300),
            NotificationText.EmailBody(user.FullName, body, link, settings), now, notificationId);
}
