using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Evidence;

/// <summary>
/// Removes a piece of evidence before submission: a soft delete (the row keeps <c>deleted_at</c>, the stored file stays, the
/// audit trail records the change automatically), so a reviewer's question about what was there can still be answered.
/// </summary>
public sealed class DeleteEvidence(IDbContextFactory<DtiDbContext> dbFactory, EvidenceAccess access, TimeProvider clock, IUnitScope scope)
{
    public async Task HandleAsync(int evidenceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Set<EvidenceFile>().SingleOrDefaultAsync(e => e.Id == evidenceId && e.DeletedAt == null, ct)
                  ?? throw new EvidenceNotFoundException();
        await access.DemandChangeAsync(db, "Xóa tài liệu kiểm chứng", row.AssessmentId, row.CriterionCode, ct);
        row.Delete(clock.GetUtcNow(), scope.UserName);
        await db.SaveChangesAsync(ct);
    }
}
