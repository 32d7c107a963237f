using DtiPortal.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Evidence;

/// <summary>A stored file opened for reading; dispose it.</summary>
public sealed record OpenedEvidence(Stream Content, string FileName, string ContentType, long? Size, string? Sha256) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Opens an evidence file for download or preview. Only a file the user can see (its unit in their scope: tenancy filter and
/// RLS) and not deleted; anything else is null, which the endpoints answer with 404 so that existence is not revealed.
/// </summary>
public sealed class OpenEvidence(IDbContextFactory<DtiDbContext> dbFactory, IEvidenceStore store)
{
    public async Task<OpenedEvidence?> HandleAsync(int evidenceId, bool forPreview, CancellationToken ct = default)
    {
        string? key, fileName, contentType, sha;
        long? size;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var row = await db.Set<EvidenceFile>().AsNoTracking()
                .Where(e => e.Id == evidenceId && e.DeletedAt == null && e.Kind == Assessments.EvidenceKind.File)
                .Select(e => new { e.StorageKey, e.FileName, e.ContentType, e.Size, e.Sha256 })
                .SingleOrDefaultAsync(ct);
            if (row?.StorageKey is null) return null;
            (key, fileName, contentType, size, sha) = (row.StorageKey, row.FileName, row.ContentType, row.Size, row.Sha256);
        }
        if (forPreview && !EvidenceQueries.IsPreviewable(contentType)) return null;
        var stream = await store.OpenReadAsync(key, ct);
        return stream is null ? null : new OpenedEvidence(stream, fileName ?? "tep", contentType ?? "application/octet-stream", size, sha);
    }
}
