using System.IO.Compression;
using System.Text;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>Small real files of each allowed type, made in code (no binary fixtures in the repository).</summary>
public static class SampleFiles
{
    public static byte[] Pdf(string text = "Quyết định 123/QĐ-UBND") =>
        Encoding.UTF8.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text + "\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];
    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];
    public static byte[] Gif() => [.. "GIF89a"u8, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B];
    public static byte[] WebP() => [.. "RIFF"u8, 26, 0, 0, 0, .. "WEBPVP8 "u8, 14, 0, 0, 0, 0x30, 1, 0, 0x9D, 1, 0x2A, 1, 0, 1, 0, 0, 0, 0, 0];
    public static byte[] Ole() => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[504]];
    public static byte[] Exe() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. "This program cannot be run in DOS mode."u8];
    public static byte[] Elf() => [0x7F, .. "ELF"u8, 2, 1, 1, 0, .. new byte[56]];
    public static byte[] Html() => "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();
    public static byte[] Csv() => "Mã,Tên,Giá trị\n3.1,Tỷ lệ hồ sơ trực tuyến,85\n"u8.ToArray();
    public static byte[] Txt() => "Biên bản họp ngày 20/5/2024 về chuyển đổi số.\n"u8.ToArray();

    public static byte[] Docx() => Zip(("[Content_Types].xml", "<Types/>"), ("_rels/.rels", "<Relationships/>"), ("word/document.xml", "<w:document/>"));
    public static byte[] Xlsx() => Zip(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>"), ("xl/worksheets/sheet1.xml", "<worksheet/>"));
    public static byte[] Pptx() => Zip(("[Content_Types].xml", "<Types/>"), ("ppt/presentation.xml", "<p:presentation/>"));
    public static byte[] PlainZip() => Zip(("payload.exe", "MZ..."), ("readme.txt", "hello"));
    public static byte[] Odt() => Odf("application/vnd.oasis.opendocument.text");
    public static byte[] Ods() => Odf("application/vnd.oasis.opendocument.spreadsheet");

    /// <summary>The probe's bomb (issue 16 §7): a .docx of about 400 KB whose word/document.xml inflates to 400 MB. Built once.</summary>
    public static byte[] DocxBomb() => _docxBomb.Value;
    private static readonly Lazy<byte[]> _docxBomb = new(() =>
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("[Content_Types].xml").Open()) s.Write("<Types/>"u8);
            using (var s = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open())
            {
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 400; i++) s.Write(zeros);
            }
        }
        return ms.ToArray();
    });

    /// <summary>A .xlsx with more entries than any document has (each tiny: the count alone gives it away).</summary>
    public static byte[] XlsxWithEntries(int count)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("[Content_Types].xml").Open()) s.Write("<Types/>"u8);
            for (var i = 0; i < count; i++)
                using (var s = zip.CreateEntry($"xl/worksheets/sheet{i}.xml", CompressionLevel.Fastest).Open()) s.Write("<worksheet/>"u8);
        }
        return ms.ToArray();
    }

    /// <summary>A real-sized .docx: 30 MB of (incompressible) pictures stored beside the text, well under the unzipped limit.</summary>
    public static byte[] DocxWithPictures()
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("[Content_Types].xml").Open()) s.Write("<Types/>"u8);
            using (var s = zip.CreateEntry("word/document.xml").Open()) s.Write(Encoding.UTF8.GetBytes("<w:document>" + new string('x', 100_000) + "</w:document>"));
            var picture = new byte[10 * 1024 * 1024];
            for (var i = 0; i < 3; i++)
            {
                new Random(i).NextBytes(picture);
                using var s = zip.CreateEntry($"word/media/image{i}.png", CompressionLevel.NoCompression).Open();
                s.Write(picture);
            }
        }
        return ms.ToArray();
    }

    /// <summary>A file of the given size that starts as a PDF (the benchmark and the size-limit tests).</summary>
    public static byte[] PdfOfSize(int size)
    {
        var bytes = new byte[size];
        new Random(42).NextBytes(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                s.Write(Encoding.UTF8.GetBytes(content + new string(' ', 200)));
            }
        }
        return ms.ToArray();
    }

    private static byte[] Odf(string mimeType)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var s = zip.CreateEntry("mimetype", CompressionLevel.NoCompression).Open()) s.Write(Encoding.ASCII.GetBytes(mimeType));
            using (var s = zip.CreateEntry("content.xml", CompressionLevel.Optimal).Open()) s.Write("<office:document-content/>"u8);
            using (var s = zip.CreateEntry("META-INF/manifest.xml", CompressionLevel.Optimal).Open()) s.Write("<manifest/>"u8);
        }
        return ms.ToArray();
    }
}
