using System.Buffers;
using System.Text;

namespace DtiPortal.Application.Evidence;

/// <summary>A type of file the portal accepts as evidence, with the extensions a file of that type may carry.</summary>
public sealed record EvidenceFileType(string Name, string ContentType, IReadOnlyList<string> Extensions, bool Previewable);

/// <summary>The verdict on one file: its type when accepted, otherwise a Vietnamese message naming the file.</summary>
public sealed record FileTypeResult(EvidenceFileType? Type, string? Error)
{
    public bool Accepted => Type is not null;
}

/// <summary>
/// The allow-list of evidence file types (issue 5), verified by content, never by the name alone: a renamed .exe, an HTML page
/// saved as .pdf, or a .docx that is really a spreadsheet are refused. The name's extension must agree with what the bytes are.
/// Detection runs incrementally (<see cref="FileTypeSniffer"/>) so an upload is checked while it streams to storage.
/// </summary>
public static class FileTypes
{
    public static readonly EvidenceFileType Pdf = new("PDF", "application/pdf", [".pdf"], Previewable: true);
    public static readonly EvidenceFileType Png = new("PNG", "image/png", [".png"], Previewable: true);
    public static readonly EvidenceFileType Jpeg = new("JPEG", "image/jpeg", [".jpg", ".jpeg"], Previewable: true);
    public static readonly EvidenceFileType Gif = new("GIF", "image/gif", [".gif"], Previewable: true);
    public static readonly EvidenceFileType WebP = new("WebP", "image/webp", [".webp"], Previewable: true);
    public static readonly EvidenceFileType Docx = new("Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"], false);
    public static readonly EvidenceFileType Xlsx = new("Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"], false);
    public static readonly EvidenceFileType Pptx = new("PowerPoint (PPTX)", "application/vnd.openxmlformats-officedocument.presentationml.presentation", [".pptx"], false);
    /// <summary>The old binary Office formats share one container (OLE compound file); the extension says which.</summary>
    public static readonly EvidenceFileType OleOffice = new("Word/Excel 97-2003", "application/octet-stream", [".doc", ".xls"], false);
    public static readonly EvidenceFileType Odt = new("OpenDocument văn bản", "application/vnd.oasis.opendocument.text", [".odt"], false);
    public static readonly EvidenceFileType Ods = new("OpenDocument bảng tính", "application/vnd.oasis.opendocument.spreadsheet", [".ods"], false);
    public static readonly EvidenceFileType Text = new("Văn bản thuần (TXT/CSV)", "text/plain; charset=utf-8", [".txt", ".csv"], false);

    public static IReadOnlyList<EvidenceFileType> All { get; } = [Pdf, Png, Jpeg, Gif, WebP, Docx, Xlsx, Pptx, OleOffice, Odt, Ods, Text];

    /// <summary>What users read next to the upload button.</summary>
    public static string AllowedExtensionsText => string.Join(", ", All.SelectMany(t => t.Extensions));

    /// <summary>Content type to store and serve for a type detected in a file of this name (the OLE and text types depend on the extension).</summary>
    public static string ContentTypeFor(EvidenceFileType type, string fileName) => (type, Extension(fileName)) switch
    {
        (var t, ".doc") when t == OleOffice => "application/msword",
        (var t, ".xls") when t == OleOffice => "application/vnd.ms-excel",
        (var t, ".csv") when t == Text => "text/csv; charset=utf-8",
        _ => type.ContentType,
    };

    /// <summary>Checks a whole file held in memory (tests, small files). Uploads use <see cref="FileTypeSniffer"/> while streaming.</summary>
    public static FileTypeResult Check(string fileName, ReadOnlySpan<byte> content)
    {
        var sniffer = new FileTypeSniffer();
        sniffer.Append(content);
        return sniffer.Complete(fileName);
    }

    public static string Extension(string fileName) => Path.GetExtension(fileName).ToLowerInvariant();
}

/// <summary>
/// Detects an evidence file's type from bytes fed in order, holding only a small header and a few ZIP entry names
/// (never the file). <see cref="Append"/> every chunk, then <see cref="Complete"/> with the declared name.
/// <see cref="EarlyRefusal"/> is set as soon as the first bytes show a file that can never be accepted (an executable),
/// so an upload can stop without reading the rest.
/// </summary>
public sealed class FileTypeSniffer
{
    private const int HeaderSize = 4096;
    private const int MaxZipNames = 4096;
    private static readonly byte[] LocalFileHeader = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] CentralFileHeader = [0x50, 0x4B, 0x01, 0x02];

    /// <summary>An Office/OpenDocument file may declare at most this much content once unzipped (issue 16 §7: a 408 KB .docx
    /// that inflates to 400 MB). Real documents with their pictures stay far below: the pictures are stored, not deflated.</summary>
    public const long MaxUncompressedBytes = 200L * 1024 * 1024;
    /// <summary>And at most this many entries (a real .docx has a few dozen; a spreadsheet with many sheets a few hundred).</summary>
    public const int MaxZipEntries = 4000;

    private readonly byte[] _header = new byte[HeaderSize];
    private int _headerLength;
    private long _length;

    // Text: valid UTF-8 throughout and no NUL byte; and nothing that a browser would run.
    private readonly Decoder _utf8 = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private const int TextPiece = 8192;
    private const int TailChars = 16;
    private readonly char[] _chars = new char[TailChars + TextPiece + 4];
    private int _tailLength;
    private bool _isText = true;
    private bool _hasScript;

    // ZIP: names of local file headers seen while streaming ([Content_Types].xml, word/…, mimetype).
    private readonly byte[] _zipCarry = new byte[64 + 1024];
    private int _zipCarryLength;
    private readonly HashSet<string> _zipNames = new(StringComparer.Ordinal);
    private string? _odfMimeType;
    // The sizes the archive declares, never inflated: from the local headers while streaming, and from the central directory
    // at the end (which counts: it is what an unzipping reader trusts). A central entry counts only when a local header of
    // the same name was seen, so four bytes "PK\x01\x02" inside compressed data cannot pass for one.
    private readonly Dictionary<string, long> _localSizes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _centralSizes = new(StringComparer.Ordinal);
    private int _centralEntries;

    public long Length => _length;

    /// <summary>A Vietnamese reason when the bytes so far already rule the file out (MZ or ELF executable); null otherwise.</summary>
    public string? EarlyRefusal { get; private set; }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty) return;
        if (_headerLength < HeaderSize)
        {
            var n = Math.Min(HeaderSize - _headerLength, chunk.Length);
            chunk[..n].CopyTo(_header.AsSpan(_headerLength));
            _headerLength += n;
            if (_length == 0 && _headerLength >= 4) EarlyRefusal = ExecutableKind(_header.AsSpan(0, _headerLength)) is { } kind
                ? $"là tệp chương trình ({kind}), không được phép tải lên" : null;
        }
        _length += chunk.Length;
        if (_isText) FeedText(chunk);
        if (IsZipSoFar) FeedZip(chunk);
    }

    private bool IsZipSoFar => _headerLength < 4 || _header.AsSpan(0, 4).SequenceEqual(LocalFileHeader);

    private void FeedText(ReadOnlySpan<byte> chunk)
    {
        if (chunk.Contains((byte)0)) { _isText = false; return; }
        try
        {
            // Decode in small pieces into one reused buffer; the last few characters of the previous piece stay in front,
            // so "<script" split across two chunks is still found. Nothing is allocated per chunk.
            for (var offset = 0; offset < chunk.Length && _isText; offset += TextPiece)
            {
                var piece = chunk.Slice(offset, Math.Min(TextPiece, chunk.Length - offset));
                var count = _utf8.GetChars(piece, _chars.AsSpan(_tailLength), flush: false);
                if (_hasScript) continue;
                var text = _chars.AsSpan(0, _tailLength + count);
                if (text.Contains("<script", StringComparison.OrdinalIgnoreCase) || text.Contains("javascript:", StringComparison.OrdinalIgnoreCase))
                    _hasScript = true;
                var keep = Math.Min(TailChars, text.Length);
                text[^keep..].CopyTo(_chars);
                _tailLength = keep;
            }
        }
        catch (DecoderFallbackException)
        {
            _isText = false;
        }
    }

    private void FeedZip(ReadOnlySpan<byte> chunk)
    {
        // Scan the carried bytes plus the new chunk for "PK\x03\x04" and read the entry name that follows it (header 30 bytes
        // + name). A match inside compressed data yields a junk name, which is harmless: only known names are looked for.
        var total = _zipCarryLength + chunk.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            _zipCarry.AsSpan(0, _zipCarryLength).CopyTo(buffer);
            chunk.CopyTo(buffer.AsSpan(_zipCarryLength));
            ScanZip(buffer.AsSpan(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ScanZip(ReadOnlySpan<byte> span)
    {
        var searchFrom = 0;
        var keepFrom = Math.Max(0, span.Length - _zipCarry.Length);
        while (true)
        {
            var i = span[searchFrom..].IndexOf(LocalFileHeader);
            if (i < 0) break;
            i += searchFrom;
            if (span.Length - i < 30) { keepFrom = Math.Min(keepFrom, i); break; }
            int nameLength = span[i + 26] | (span[i + 27] << 8);
            int extraLength = span[i + 28] | (span[i + 29] << 8);
            if (nameLength is > 0 and <= 1024)
            {
                if (span.Length - i < 30 + nameLength) { keepFrom = Math.Min(keepFrom, i); break; }
                var name = Encoding.UTF8.GetString(span.Slice(i + 30, nameLength));
                if (_zipNames.Count < MaxZipNames) _zipNames.Add(name);
                // Bit 3: the sizes follow the data (in a data descriptor); the central directory still declares them.
                var hasDescriptor = (span[i + 6] & 0x08) != 0;
                if (!hasDescriptor && _localSizes.Count < MaxZipNames) _localSizes[name] = ReadUInt32(span, i + 22);
                // ODF: the first entry is "mimetype", stored uncompressed, its content right after the header.
                if (name == "mimetype" && _odfMimeType is null)
                {
                    var dataStart = i + 30 + nameLength + extraLength;
                    int size = span[i + 18] | (span[i + 19] << 8) | (span[i + 20] << 16) | (span[i + 21] << 24);
                    if (size is > 0 and <= 100)
                    {
                        if (span.Length - dataStart < size) { keepFrom = Math.Min(keepFrom, i); break; }
                        _odfMimeType = Encoding.ASCII.GetString(span.Slice(dataStart, size));
                    }
                }
            }
            searchFrom = i + 4;
        }
        keepFrom = Math.Min(keepFrom, ScanCentralDirectory(span));
        var keep = span[keepFrom..];
        if (keep.Length > _zipCarry.Length) keep = keep[^_zipCarry.Length..];
        keep.CopyTo(_zipCarry);
        _zipCarryLength = keep.Length;
    }

    /// <summary>Reads the central directory's entries (46-byte header + name); answers where an incomplete one starts.</summary>
    private int ScanCentralDirectory(ReadOnlySpan<byte> span)
    {
        var keepFrom = span.Length;
        var searchFrom = 0;
        while (true)
        {
            var i = span[searchFrom..].IndexOf(CentralFileHeader);
            if (i < 0) break;
            i += searchFrom;
            if (span.Length - i < 46) { keepFrom = i; break; }
            int nameLength = span[i + 28] | (span[i + 29] << 8);
            if (nameLength is > 0 and <= 1024)
            {
                if (span.Length - i < 46 + nameLength) { keepFrom = i; break; }
                _centralEntries++;
                var name = Encoding.UTF8.GetString(span.Slice(i + 46, nameLength));
                // 0xFFFFFFFF means "see the ZIP64 field": more than 4 GB, which no evidence document needs. It counts as such.
                if (_zipNames.Contains(name) || _zipNames.Count >= MaxZipNames) _centralSizes[name] = ReadUInt32(span, i + 24);
            }
            searchFrom = i + 4;
        }
        return keepFrom;
    }

    private static long ReadUInt32(ReadOnlySpan<byte> span, int at) =>
        (uint)(span[at] | (span[at + 1] << 8) | (span[at + 2] << 16) | (span[at + 3] << 24));

    /// <summary>A Vietnamese reason when the archive declares more content or more entries than a document can have.</summary>
    private string? ZipBombReason()
    {
        var entries = Math.Max(_centralEntries, _localSizes.Count);
        if (entries > MaxZipEntries)
            return $"chứa {Count(entries)} tệp con (tối đa {Count(MaxZipEntries)}), có thể là tệp nén độc hại (\"bom nén\"), không được phép tải lên";
        long total = 0;
        foreach (var (name, size) in _localSizes) total += Math.Max(size, _centralSizes.GetValueOrDefault(name));
        foreach (var (name, size) in _centralSizes) if (!_localSizes.ContainsKey(name)) total += size;
        if (total > MaxUncompressedBytes)
            return $"khi giải nén sẽ chiếm {Mb(total)} MB (tối đa {Mb(MaxUncompressedBytes)} MB), có thể là tệp nén độc hại (\"bom nén\"), không được phép tải lên";
        return null;
    }

    private static string Mb(long bytes) => Count(bytes / (1024 * 1024));
    private static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"));

    /// <summary>The verdict, once every byte has been appended.</summary>
    public FileTypeResult Complete(string fileName)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "(không tên)" : Path.GetFileName(fileName);
        FileTypeResult Refuse(string why) => new(null, $"Tệp \"{name}\" {why}. Chỉ chấp nhận: {FileTypes.AllowedExtensionsText}.");

        if (_length == 0) return Refuse("rỗng");
        if (EarlyRefusal is not null) return Refuse(EarlyRefusal);
        if (_isText)
        {
            try { _utf8.GetChars([], _chars.AsSpan(_tailLength), flush: true); }
            catch (DecoderFallbackException) { _isText = false; }
        }

        var detected = Detect();
        if (detected is null)
        {
            if (_hasScript || LooksLikeMarkupOrScript()) return Refuse("là trang web hoặc mã lệnh (HTML/script), không được phép tải lên");
            return Refuse("không thuộc loại tệp được phép");
        }
        // Office and OpenDocument files are ZIP containers: refuse a bomb by what it declares, without inflating a byte.
        if (_header.AsSpan(0, _headerLength).StartsWith(LocalFileHeader) && ZipBombReason() is { } bomb) return Refuse(bomb);
        var ext = FileTypes.Extension(name);
        if (!detected.Extensions.Contains(ext))
            return Refuse(string.IsNullOrEmpty(ext)
                ? $"không có phần mở rộng; nội dung là {detected.Name} ({string.Join(", ", detected.Extensions)})"
                : $"có phần mở rộng {ext} nhưng nội dung là {detected.Name} ({string.Join(", ", detected.Extensions)})");
        return new(detected, null);
    }

    private EvidenceFileType? Detect()
    {
        var h = _header.AsSpan(0, _headerLength);
        if (h.StartsWith("%PDF-"u8)) return FileTypes.Pdf;
        if (h.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return FileTypes.Png;
        if (h.StartsWith((byte[])[0xFF, 0xD8, 0xFF])) return FileTypes.Jpeg;
        if (h.StartsWith("GIF87a"u8) || h.StartsWith("GIF89a"u8)) return FileTypes.Gif;
        if (h.Length >= 12 && h.StartsWith("RIFF"u8) && h[8..12].SequenceEqual("WEBP"u8)) return FileTypes.WebP;
        if (h.StartsWith((byte[])[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return FileTypes.OleOffice;
        if (h.StartsWith(LocalFileHeader))
        {
            if (_odfMimeType == "application/vnd.oasis.opendocument.text") return FileTypes.Odt;
            if (_odfMimeType == "application/vnd.oasis.opendocument.spreadsheet") return FileTypes.Ods;
            if (_zipNames.Contains("[Content_Types].xml"))
            {
                if (_zipNames.Any(n => n.StartsWith("word/", StringComparison.Ordinal))) return FileTypes.Docx;
                if (_zipNames.Any(n => n.StartsWith("xl/", StringComparison.Ordinal))) return FileTypes.Xlsx;
                if (_zipNames.Any(n => n.StartsWith("ppt/", StringComparison.Ordinal))) return FileTypes.Pptx;
            }
            return null; // any other ZIP (archives can hide anything)
        }
        if (_isText && !_hasScript && !LooksLikeMarkupOrScript()) return FileTypes.Text;
        return null;
    }

    /// <summary>Text that a browser or a shell would run or render: HTML, SVG/XML, shebang scripts.</summary>
    private bool LooksLikeMarkupOrScript()
    {
        if (!_isText) return false;
        var start = Encoding.UTF8.GetString(_header, 0, Math.Min(_headerLength, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return start.StartsWith("#!", StringComparison.Ordinal)
            || start.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<html", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<?xml", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<svg", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<head", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<body", StringComparison.OrdinalIgnoreCase)
            || start.StartsWith("<iframe", StringComparison.OrdinalIgnoreCase);
    }

    private static string? ExecutableKind(ReadOnlySpan<byte> h)
    {
        if (h.StartsWith("MZ"u8)) return "Windows .exe/.dll";
        if (h.StartsWith((byte[])[0x7F, 0x45, 0x4C, 0x46])) return "Linux ELF";
        if (h.StartsWith((byte[])[0xCF, 0xFA, 0xED, 0xFE]) || h.StartsWith((byte[])[0xCE, 0xFA, 0xED, 0xFE]) || h.StartsWith((byte[])[0xCA, 0xFE, 0xBA, 0xBE]))
            return "macOS Mach-O";
        return null;
    }
}
