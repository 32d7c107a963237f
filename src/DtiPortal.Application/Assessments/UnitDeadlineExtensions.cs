using System.Globalization;
using System.Text.Json;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>One unit's extension as the round page lists it.</summary>
public sealed record UnitExtensionRow(
    int AssessmentId, int UnitId, string UnitName, AssessmentStatus Status, DateOnly NewDeadline, string Reason, DateTimeOffset GrantedAt, string? GrantedBy);

/// <summary>A unit of the round that may still be given an extension (it still holds the figures).</summary>
public sealed record ExtensionCandidate(int AssessmentId, string UnitName, AssessmentStatus Status, DateOnly? CurrentExtension);

/// <summary>
/// Extensions for one unit (issue 15): an admin of the province or the reviewing office (the district reviewer of the
/// unit, the council's secretary) gives one assessment a later deadline with a reason. Only while the unit still holds
/// the figures and the round is open; the new date must be after the round's entry deadline and not in the past.
/// Granting again replaces the date and the reason; each grant is audited (the row's before and after, and a named event).
/// </summary>
public sealed class UnitDeadlineExtensions(IDbContextFactory<DtiDbContext> dbFactory, AccessGuard guard, IAuditLog audit, TimeProvider clock)
{
    public const string GrantAction = "Gia hạn cho đơn vị";
    public const string ListAction = "Xem gia hạn của đơn vị";

    /// <summary>Who may grant: the admins, and the reviewing office of the unit.</summary>
    public static readonly IReadOnlyList<string> GrantRoles = [Roles.ProvincialAdmin, Roles.SystemAdmin, Roles.DistrictReviewer, Roles.CouncilSecretary];

    public async Task<Result> GrantAsync(int assessmentId, DateOnly newDeadline, string? reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var assessment = await db.Assessments.AsNoTracking().Include(a => a.Round).SingleOrDefaultAsync(a => a.Id == assessmentId, ct);
        if (assessment?.Round is null)
        {
            await audit.RefusedAsync(GrantAction, AssessmentAccess.NotFoundMessage, entityType: nameof(Assessment), entityId: assessmentId.ToString(CultureInfo.InvariantCulture), ct: ct);
            return Result.Fail(AssessmentAccess.NotFoundMessage);
        }
        await guard.DemandAsync(GrantAction, assessment.UnitId, GrantRoles, ct);
        var round = assessment.Round;
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == assessment.UnitId).Select(u => u.Name).SingleAsync(ct);
        var today = VietnamTime.Today(clock);
        if (!round.IsOpen) return Result.Fail($"Đợt “{round.Name}” đã khóa: mở lại bằng cách gia hạn cả đợt trước khi gia hạn cho từng đơn vị.");
        if (!assessment.AwaitingEntry)
            return Result.Fail($"{unitName} đã nộp bản đánh giá (trạng thái “{assessment.Status.Name()}”): không cần gia hạn.");
        if (newDeadline <= round.EntryDeadline)
            return Result.Fail($"Hạn mới của {unitName} phải sau hạn nhập số liệu của đợt ({VietnamTime.Date(round.EntryDeadline)}).");
        if (newDeadline < today)
            return Result.Fail($"Hạn mới ({VietnamTime.Date(newDeadline)}) đã qua: chọn từ hôm nay ({VietnamTime.Date(today)}) trở đi.");

        var actor = await db.Users.AsNoTracking().Where(u => u.Id == guard.Scope.UserId).Select(u => u.FullName).SingleOrDefaultAsync(ct);
        actor = string.IsNullOrWhiteSpace(actor) ? guard.Scope.UserName ?? "Hệ thống" : actor;
        var row = await db.DeadlineExtensions.SingleOrDefaultAsync(x => x.AssessmentId == assessmentId, ct);
        var before = row is null ? null : Snapshot(row);
        try
        {
            if (row is null)
            {
                row = new DeadlineExtension(assessment.Id, assessment.UnitId, newDeadline, reason ?? "", clock.GetUtcNow(), guard.Scope.UserId, actor);
                db.DeadlineExtensions.Add(row);
            }
            else row.Grant(newDeadline, reason ?? "", clock.GetUtcNow(), guard.Scope.UserId, actor);
        }
        catch (DomainException ex)
        {
            return Result.Fail(ex.Message);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two people granting the first extension at once: the unique index keeps one; ask to look again.
            return Result.Conflicted("Đơn vị vừa được người khác gia hạn; tải lại trang rồi xem lại.");
        }
        await audit.WriteAsync(new AuditEvent("UnitDeadlineExtended", nameof(DeadlineExtension), row.Id.ToString(CultureInfo.InvariantCulture), assessment.UnitId,
            Before: before, After: Snapshot(row),
            Detail: $"Gia hạn cho {unitName} (đợt “{round.Name}”) đến {VietnamTime.Date(newDeadline)}. Lý do: {row.Reason}"), ct);
        return Result.Success();
    }

    /// <summary>The extensions of a round that the user may see (the tenancy filter keeps them to the user's units).</summary>
    public async Task<IReadOnlyList<UnitExtensionRow>> ListAsync(int roundId, CancellationToken ct = default)
    {
        await guard.DemandAsync(ListAction, null, GrantRoles, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await (from x in db.DeadlineExtensions.AsNoTracking()
                      join a in db.Assessments on x.AssessmentId equals a.Id
                      join u in db.Units on a.UnitId equals u.Id
                      where a.RoundId == roundId
                      orderby u.Name
                      select new UnitExtensionRow(a.Id, a.UnitId, u.Name, a.Status, x.NewDeadline, x.Reason, x.GrantedAt, x.GrantedByName)).ToListAsync(ct);
    }

    /// <summary>The round's units that may be given an extension (still holding the figures), in the user's scope.</summary>
    public async Task<IReadOnlyList<ExtensionCandidate>> CandidatesAsync(int roundId, CancellationToken ct = default)
    {
        await guard.DemandAsync(ListAction, null, GrantRoles, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from a in db.Assessments.AsNoTracking()
                          join u in db.Units on a.UnitId equals u.Id
                          where a.RoundId == roundId && (a.Status == AssessmentStatus.Draft || a.Status == AssessmentStatus.Returned)
                          orderby u.Name
                          select new { a.Id, u.Name, a.Status, Extension = db.DeadlineExtensions.Where(x => x.AssessmentId == a.Id).Select(x => (DateOnly?)x.NewDeadline).FirstOrDefault() })
            .ToListAsync(ct);
        return [.. rows.Select(r => new ExtensionCandidate(r.Id, r.Name, r.Status, r.Extension))];
    }

    private static string Snapshot(DeadlineExtension x) => JsonSerializer.Serialize(new
    {
        NewDeadline = x.NewDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.Reason, x.GrantedByName,
    });
}
