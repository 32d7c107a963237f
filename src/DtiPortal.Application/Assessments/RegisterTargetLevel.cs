using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// Registers the maturity level a unit aims for (seed 002 §II.2, the first step of the 2361 procedure): only for a set
/// with levels, only 1..5, only while the unit still holds the figures.
/// </summary>
public sealed class RegisterTargetLevel(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard)
{
    public const string Action = "Đăng ký mức mục tiêu";

    public async Task<CommandResult> HandleAsync(int assessmentId, int level, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: true, ct);
        await guard.DemandAsync(Action, assessment.UnitId, [Roles.CommuneOfficer], ct);
        var deadline = await access.DeadlineAsync(db, assessment, round, ct);
        try
        {
            assessment.RegisterTargetLevel(level, set.Set.Levels, round.IsOpen, deadline);
        }
        catch (DomainException ex)
        {
            return CommandResult.Fail(ex.Message);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return CommandResult.Fail("Bản đánh giá vừa được thay đổi; tải lại trang rồi thử lại.");
        }
        return CommandResult.Ok;
    }
}
