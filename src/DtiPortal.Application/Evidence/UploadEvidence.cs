using System.Security.Cryptography;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Application.Evidence;

public sealed record UploadEvidenceRequest(int AssessmentId, string CriterionCode, string FileName, DocumentInfo Document);

/// <summary>A stored file, or the Vietnamese reason it was refused. <see cref="Warning"/>: the same file is attached elsewhere.</summary>
public sealed record UploadEvidenceResult(int? Id, string? FileName, long Size, string? Sha256, string? ContentType, string? Warning, string? Error)
{
    public bool Stored => Id is not null;
    public static UploadEvidenceResult Refused(string error) => new(null, null, 0, null, null, null, error);
}

/// <summary>
/// Stores one uploaded file as evidence (issue 5). The body streams through a SHA-256 hasher, a size counter and the type
/// sniffer straight into the store under a temporary key; it is refused as soon as it passes the size limit (the partial
/// file is removed), then checked against the allow-list (<see cref="FileTypes"/>), committed to its final key, and recorded.
/// The file is never held in memory. Access (<see cref="EvidenceAccess"/>) is checked before a byte is read.
/// </summary>
public sealed class UploadEvidence(
    IDbContextFactory<DtiDbContext> dbFactory, EvidenceAccess access, IEvidenceStore store, EvidenceOptions options,
    TimeProvider clock, IUnitScope scope, ILogger<UploadEvidence> logger)
{
    public long MaxBytes => options.MaxFileSizeBytes;

    public static string TooLargeMessage(string fileName, long maxBytes) =>
        $"Tệp \"{fileName}\" vượt quá dung lượng cho phép ({maxBytes / (1024 * 1024)} MB).";

    /// <summary>Checks that the user may add evidence to this criterion now; throws <see cref="EvidenceNotFoundException"/> or
    /// <see cref="AccessDeniedException"/>. The endpoint calls it before reading the request body.</summary>
    public async Task<EvidenceTarget> AuthorizeAsync(int assessmentId, string criterionCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await access.DemandChangeAsync(db, "Tải lên tài liệu kiểm chứng", assessmentId, criterionCode, ct);
    }

    public async Task<UploadEvidenceResult> HandleAsync(UploadEvidenceRequest request, Stream body, CancellationToken ct = default)
    {
        var target = await AuthorizeAsync(request.AssessmentId, request.CriterionCode, ct);
        var fileName = EvidenceFile.CleanFileName(request.FileName);

        var sniffer = new FileTypeSniffer();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var inspecting = new InspectingStream(body, options.MaxFileSizeBytes, sniffer, hash);
        var temporary = EvidenceKeys.NewTemporary();
        try
        {
            await store.WriteAsync(temporary, inspecting, ct);
        }
        catch (EvidenceTooLargeException)
        {
            await DeleteQuietlyAsync(temporary);
            return UploadEvidenceResult.Refused(TooLargeMessage(fileName, options.MaxFileSizeBytes));
        }
        catch (EvidenceTypeRefusedException ex)
        {
            await DeleteQuietlyAsync(temporary);
            return UploadEvidenceResult.Refused($"Tệp \"{fileName}\" {ex.Reason}. Chỉ chấp nhận: {FileTypes.AllowedExtensionsText}.");
        }
        catch
        {
            await DeleteQuietlyAsync(temporary); // the client went away, or storage failed
            throw;
        }

        var verdict = sniffer.Complete(fileName);
        if (!verdict.Accepted)
        {
            await DeleteQuietlyAsync(temporary);
            return UploadEvidenceResult.Refused(verdict.Error!);
        }

        var size = inspecting.BytesRead;
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var now = clock.GetUtcNow();
        var key = EvidenceKeys.NewFinal(target.UnitId, now);
        var contentType = FileTypes.ContentTypeFor(verdict.Type!, fileName);
        DtiDbContext? db = null;
        EvidenceFile row;
        try
        {
            await store.MoveAsync(temporary, key, ct);
            db = await dbFactory.CreateDbContextAsync(ct);
            row = EvidenceFile.ForFile(target.UnitId, target.AssessmentId, target.CriterionCode, key, fileName, contentType, size, sha,
                request.Document, now, scope.UserName);
            db.Add(row);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch
        {
            if (db is not null) await db.DisposeAsync();
            await DeleteQuietlyAsync(temporary);
            await DeleteQuietlyAsync(key);
            throw;
        }
        // Committed: the row now refers to the file, so nothing after this point may remove it (a backup would find a row
        // without its file). The duplicate warning is a courtesy: if it fails, the upload still succeeded.
        await using (db)
        {
            string? warning = null;
            try
            {
                warning = await DuplicateWarningAsync(db, sha, row.Id, CancellationToken.None);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Evidence {Id} stored, but the duplicate check failed", row.Id);
            }
            logger.LogInformation("Evidence {Id} stored: {Size} bytes, {ContentType}, assessment {AssessmentId} criterion {Criterion}",
                row.Id, size, contentType, target.AssessmentId, target.CriterionCode);
            return new UploadEvidenceResult(row.Id, fileName, size, sha, contentType, warning, null);
        }
    }

    /// <summary>"Tệp này đã được đính kèm ở tiêu chí 3.1 (đánh giá năm 2024)", for every other place (in the user's scope) holding the same bytes.</summary>
    internal static async Task<string?> DuplicateWarningAsync(DtiDbContext db, string sha, int exceptId, CancellationToken ct)
    {
        var places = await EvidenceQueries.PlacesOf(db, [sha], exceptId, ct);
        return places.TryGetValue(sha, out var list) && list.Count > 0
            ? "Tệp này đã được đính kèm ở " + string.Join("; ", list) + "."
            : null;
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try { await store.DeleteAsync(key, CancellationToken.None); }
        catch (Exception ex) { logger.LogWarning(ex, "Could not remove evidence object {Key}", key); }
    }
}
