namespace DtiPortal.Application.Evidence;

/// <summary>
/// Configuration section <c>Evidence</c> (docs/evidence.md):
/// <list type="bullet">
/// <item><c>Evidence:Store</c> = <c>Directory</c> (default) or <c>S3</c>.</item>
/// <item><c>Evidence:Directory</c>: the folder for the directory store; a relative path is taken from the content root.
///   Default <c>storage/evidence</c> (git-ignored).</item>
/// <item><c>Evidence:MaxFileSizeMB</c>: the largest file accepted (default 50).</item>
/// <item><c>Evidence:S3:ServiceUrl</c>, <c>Bucket</c>, <c>AccessKey</c>, <c>SecretKey</c>, <c>Region</c> (default us-east-1),
///   <c>ForcePathStyle</c> (default true, which most S3-compatible servers need).</item>
/// </list>
/// </summary>
public sealed class EvidenceOptions
{
    public const string Section = "Evidence";
    public const string DefaultDirectory = "storage/evidence";

    public string Store { get; set; } = "Directory";
    public string Directory { get; set; } = DefaultDirectory;
    public int MaxFileSizeMB { get; set; } = 50;
    public S3Options S3 { get; set; } = new();

    public long MaxFileSizeBytes => MaxFileSizeMB * 1024L * 1024L;

    /// <summary>What the multipart envelope around one file may add (boundaries, headers, the metadata fields).</summary>
    public const long MultipartOverheadBytes = 64 * 1024;

    public sealed class S3Options
    {
        public string? ServiceUrl { get; set; }
        public string? Bucket { get; set; }
        public string? AccessKey { get; set; }
        public string? SecretKey { get; set; }
        public string Region { get; set; } = "us-east-1";
        public bool ForcePathStyle { get; set; } = true;
        /// <summary>The size of the parts of a multipart upload (S3's minimum is 5 MB); one part is held in memory at a time.</summary>
        public int PartSizeMB { get; set; } = 5;
    }
}
