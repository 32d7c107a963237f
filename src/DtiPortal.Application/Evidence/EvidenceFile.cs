using DtiPortal.Application.Assessments;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;

namespace DtiPortal.Application.Evidence;

/// <summary>
/// One piece of evidence (tài liệu kiểm chứng) for one criterion of one assessment: a stored file or a link, with the
/// optional particulars of the document it is (số hiệu, ngày ban hành, cơ quan ban hành, trích yếu). Unit-owned (ADR-006).
/// Deleting is soft (<see cref="DeletedAt"/>): the file stays in storage and the audit trail keeps what was there.
/// </summary>
public sealed class EvidenceFile : IUnitOwned
{
    public const int MaxUrlLength = 2000;
    public const int MaxFileNameLength = 255;

    private EvidenceFile() { } // EF

    public static EvidenceFile ForFile(int unitId, int assessmentId, string criterionCode, string storageKey, string fileName, string contentType,
        long size, string sha256, DocumentInfo document, DateTimeOffset uploadedAt, string? uploadedBy)
    {
        var e = new EvidenceFile
        {
            UnitId = unitId, AssessmentId = assessmentId, CriterionCode = criterionCode, Kind = EvidenceKind.File, StorageKey = storageKey,
            FileName = CleanFileName(fileName), ContentType = contentType, Size = size, Sha256 = sha256, UploadedAt = uploadedAt, UploadedBy = uploadedBy,
        };
        e.Describe(document);
        return e;
    }

    public static EvidenceFile ForLink(int unitId, int assessmentId, string criterionCode, string url, DocumentInfo document,
        DateTimeOffset uploadedAt, string? uploadedBy)
    {
        var e = new EvidenceFile
        {
            UnitId = unitId, AssessmentId = assessmentId, CriterionCode = criterionCode, Kind = EvidenceKind.Link, Url = CheckUrl(url),
            UploadedAt = uploadedAt, UploadedBy = uploadedBy,
        };
        e.Describe(document);
        return e;
    }

    /// <summary>A link attached to an assessment that is being created in the same save (samples, imports).</summary>
    public static EvidenceFile ForLink(Assessment assessment, string criterionCode, string url, DocumentInfo document, DateTimeOffset uploadedAt, string? uploadedBy)
    {
        var e = ForLink(assessment.UnitId, assessment.Id, criterionCode, url, document, uploadedAt, uploadedBy);
        e.Assessment = assessment;
        return e;
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    /// <summary>The criterion as the set prints it ("3.1").</summary>
    public string CriterionCode { get; private set; } = "";
    public EvidenceKind Kind { get; private set; }
    public string? StorageKey { get; private set; }
    public string? FileName { get; private set; }
    public string? ContentType { get; private set; }
    public long? Size { get; private set; }
    /// <summary>SHA-256 of the stored bytes, lower-case hex: the same file attached twice is found by it.</summary>
    public string? Sha256 { get; private set; }
    public string? Url { get; private set; }
    /// <summary>Số hiệu văn bản.</summary>
    public string? DocNumber { get; private set; }
    /// <summary>Ngày ban hành.</summary>
    public DateOnly? IssuedOn { get; private set; }
    /// <summary>Cơ quan ban hành.</summary>
    public string? Issuer { get; private set; }
    /// <summary>Trích yếu.</summary>
    public string? Summary { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }
    public string? UploadedBy { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    public string? DeletedBy { get; private set; }

    public void Describe(DocumentInfo document)
    {
        DocNumber = Clean(document.DocNumber, 100);
        IssuedOn = document.IssuedOn;
        Issuer = Clean(document.Issuer, 300);
        Summary = Clean(document.Summary, 2000);
    }

    public void Delete(DateTimeOffset at, string? by)
    {
        if (DeletedAt is not null) return;
        DeletedAt = at;
        DeletedBy = by;
    }

    /// <summary>Only http and https links: no javascript:, data:, file: or relative links in a reviewer's browser.</summary>
    public static string CheckUrl(string? url)
    {
        var text = url?.Trim() ?? "";
        if (text.Length == 0) throw new DomainException("Đường link đang để trống.");
        if (text.Length > MaxUrlLength) throw new DomainException($"Đường link dài quá {MaxUrlLength} ký tự.");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
            throw new DomainException($"Đường link \"{text}\" không hợp lệ: chỉ chấp nhận địa chỉ bắt đầu bằng http:// hoặc https://.");
        return uri.AbsoluteUri;
    }

    /// <summary>The name as shown and offered on download: no path, no control characters, at most 255 characters.</summary>
    public static string CleanFileName(string fileName)
    {
        var name = Path.GetFileName(fileName.Replace('\\', '/'));
        // Bidirectional controls make "invoice\u202Egpj.pdf" show as "invoicefdp.jpg" (issue 16 §5): strip them with the controls.
        name = new string([.. name.Where(c => !char.IsControl(c) && !IsBidiControl(c))]).Trim();
        if (name.Length == 0) name = "tep";
        if (name.Length > MaxFileNameLength)
        {
            var ext = Path.GetExtension(name);
            name = name[..(MaxFileNameLength - ext.Length)] + ext;
        }
        return name;
    }

    /// <summary>LRM, RLM, ALM and the embedding, override and isolate controls (Unicode's Bidi_Control property).</summary>
    public static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or '\u061C' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static string? Clean(string? s, int max)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (s.Length > max) throw new DomainException($"Nội dung \"{s[..Math.Min(40, s.Length)]}…\" dài quá {max} ký tự.");
        return s;
    }
}

/// <summary>The optional particulars of the document a piece of evidence is (all may be empty).</summary>
public sealed record DocumentInfo(string? DocNumber = null, DateOnly? IssuedOn = null, string? Issuer = null, string? Summary = null)
{
    public static DocumentInfo None { get; } = new();
}
