using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Evidence;

public sealed record AddEvidenceLinkRequest(int AssessmentId, string CriterionCode, string Url, DocumentInfo Document);

/// <summary>Attaches a link (http/https only) with the document's optional particulars. Throws <see cref="Domain.DomainException"/>
/// for a bad link, <see cref="AccessDeniedException"/> or <see cref="EvidenceNotFoundException"/> as the upload does.</summary>
public sealed class AddEvidenceLink(IDbContextFactory<DtiDbContext> dbFactory, EvidenceAccess access, TimeProvider clock, IUnitScope scope)
{
    public async Task<int> HandleAsync(AddEvidenceLinkRequest request, CancellationToken ct = default)
    {
        var url = EvidenceFile.CheckUrl(request.Url);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await access.DemandChangeAsync(db, "Thêm đường link kiểm chứng", request.AssessmentId, request.CriterionCode, ct);
        var row = EvidenceFile.ForLink(target.UnitId, target.AssessmentId, target.CriterionCode, url, request.Document, clock.GetUtcNow(), scope.UserName);
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return row.Id;
    }
}
