using DtiPortal.Application.Evidence;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>Issue 5: the allow-list is verified by content, and the name's extension must agree with it.</summary>
public class FileTypesTests
{
    public static TheoryData<string, string, string> Allowed() => new()
    {
        { "quyet-dinh.pdf", nameof(SampleFiles.Pdf), "application/pdf" },
        { "anh.png", nameof(SampleFiles.Png), "image/png" },
        { "anh.JPG", nameof(SampleFiles.Jpeg), "image/jpeg" },
        { "anh.jpeg", nameof(SampleFiles.Jpeg), "image/jpeg" },
        { "anh.gif", nameof(SampleFiles.Gif), "image/gif" },
        { "anh.webp", nameof(SampleFiles.WebP), "image/webp" },
        { "bao-cao.docx", nameof(SampleFiles.Docx), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "so-lieu.xlsx", nameof(SampleFiles.Xlsx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "trinh-chieu.pptx", nameof(SampleFiles.Pptx), "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
        { "cu.doc", nameof(SampleFiles.Ole), "application/msword" },
        { "cu.xls", nameof(SampleFiles.Ole), "application/vnd.ms-excel" },
        { "van-ban.odt", nameof(SampleFiles.Odt), "application/vnd.oasis.opendocument.text" },
        { "bang-tinh.ods", nameof(SampleFiles.Ods), "application/vnd.oasis.opendocument.spreadsheet" },
        { "so-lieu.csv", nameof(SampleFiles.Csv), "text/csv; charset=utf-8" },
        { "bien-ban.txt", nameof(SampleFiles.Txt), "text/plain; charset=utf-8" },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Check_WhenContentMatchesAnAllowedTypeAndExtension_Accepts(string fileName, string sample, string contentType)
    {
        var bytes = Sample(sample);
        var result = FileTypes.Check(fileName, bytes);
        Assert.True(result.Accepted, result.Error);
        Assert.Equal(contentType, FileTypes.ContentTypeFor(result.Type!, fileName));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Sniffer_WhenFedOneByteAtATime_ReachesTheSameVerdict(string fileName, string sample, string contentType)
    {
        _ = contentType;
        var sniffer = new FileTypeSniffer();
        foreach (var b in Sample(sample)) sniffer.Append([b]);
        Assert.True(sniffer.Complete(fileName).Accepted);
    }

    [Theory]
    [InlineData("bao-cao.pdf")]
    [InlineData("anh.png")]
    [InlineData("setup.exe")]
    [InlineData("so-lieu.txt")]
    public void Check_WhenFileIsAWindowsExecutable_RefusesWhateverItsName(string fileName)
    {
        var result = FileTypes.Check(fileName, SampleFiles.Exe());
        Assert.False(result.Accepted);
        Assert.Contains($"\"{fileName}\"", result.Error);
        Assert.Contains("tệp chương trình", result.Error);
    }

    [Fact]
    public void Sniffer_WhenExecutableStarts_RefusesEarly()
    {
        var sniffer = new FileTypeSniffer();
        sniffer.Append(SampleFiles.Exe().AsSpan(0, 16));
        Assert.NotNull(sniffer.EarlyRefusal);
    }

    [Fact]
    public void Check_WhenElfIsRenamed_Refuses() => Assert.False(FileTypes.Check("tai-lieu.pdf", SampleFiles.Elf()).Accepted);

    [Fact]
    public void Check_WhenPdfIsReallyHtmlWithScript_RefusesNamingTheFile()
    {
        var result = FileTypes.Check("quyet-dinh.pdf", SampleFiles.Html());
        Assert.False(result.Accepted);
        Assert.Contains("\"quyet-dinh.pdf\"", result.Error);
        Assert.Contains("HTML", result.Error);
    }

    [Theory]
    [InlineData("ghi-chu.txt", "<html><body>xin chào</body></html>")]
    [InlineData("ghi-chu.txt", "#!/bin/sh\nrm -rf /\n")]
    [InlineData("so-lieu.csv", "a,b\n1,<script>alert(1)</script>\n")]
    [InlineData("anh.txt", "<svg xmlns='http://www.w3.org/2000/svg'/>")]
    public void Check_WhenTextIsMarkupOrScript_Refuses(string fileName, string content) =>
        Assert.False(FileTypes.Check(fileName, System.Text.Encoding.UTF8.GetBytes(content)).Accepted);

    [Theory]
    [InlineData("bao-cao.docx", nameof(SampleFiles.Xlsx))]   // a spreadsheet named as a Word file
    [InlineData("anh.png", nameof(SampleFiles.Jpeg))]
    [InlineData("quyet-dinh.pdf", nameof(SampleFiles.Docx))]
    [InlineData("so-lieu.csv", nameof(SampleFiles.Pdf))]
    [InlineData("van-ban.odt", nameof(SampleFiles.Ods))]
    [InlineData("quyet-dinh", nameof(SampleFiles.Pdf))]
    public void Check_WhenExtensionDisagreesWithContent_RefusesSayingWhatItIs(string fileName, string sample)
    {
        var result = FileTypes.Check(fileName, Sample(sample));
        Assert.False(result.Accepted);
        Assert.Contains($"\"{fileName}\"", result.Error);
        Assert.Contains("nội dung là", result.Error);
    }

    [Fact]
    public void Check_WhenZipIsNotAnOfficeDocument_Refuses() => Assert.False(FileTypes.Check("tai-lieu.docx", SampleFiles.PlainZip()).Accepted);

    [Fact]
    public void Check_WhenTextIsNotUtf8OrHasNul_Refuses()
    {
        Assert.False(FileTypes.Check("a.txt", [0x41, 0x00, 0x42]).Accepted);
        Assert.False(FileTypes.Check("a.txt", [0x41, 0xC3, 0x28, 0x42]).Accepted); // invalid UTF-8
    }

    [Fact]
    public void Check_WhenEmpty_Refuses() => Assert.Contains("rỗng", FileTypes.Check("a.pdf", []).Error);

    private static byte[] Sample(string name) => (byte[])typeof(SampleFiles).GetMethod(name)!.Invoke(null, name == nameof(SampleFiles.Pdf) ? ["x"] : [])!;

    [Fact]
    public void Check_WhenDocxInflatesTo400MB_RefusesItAsABombWithoutInflating()
    {
        var bomb = SampleFiles.DocxBomb();
        Assert.InRange(bomb.Length, 100_000, 1_000_000); // about the probe's 408 KB
        var result = FileTypes.Check("bao-cao.docx", bomb);
        Assert.False(result.Accepted);
        Assert.StartsWith("Tệp \"bao-cao.docx\" khi giải nén sẽ chiếm 400 MB (tối đa 200 MB), có thể là tệp nén độc hại (\"bom nén\")", result.Error);
    }

    [Fact]
    public void Sniffer_WhenBombArrivesInSmallChunks_StillRefusesIt()
    {
        var sniffer = new FileTypeSniffer();
        var bomb = SampleFiles.DocxBomb();
        for (var i = 0; i < bomb.Length; i += 7) sniffer.Append(bomb.AsSpan(i, Math.Min(7, bomb.Length - i)));
        Assert.Contains("bom nén", sniffer.Complete("bao-cao.docx").Error);
    }

    [Fact]
    public void Check_WhenXlsxHasMoreEntriesThanAnyDocument_RefusesIt()
    {
        var result = FileTypes.Check("so-lieu.xlsx", SampleFiles.XlsxWithEntries(FileTypeSniffer.MaxZipEntries + 10));
        Assert.False(result.Accepted);
        Assert.Contains($"tệp con (tối đa {FileTypeSniffer.MaxZipEntries.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"))})", result.Error);
        Assert.Contains("bom nén", result.Error);
        Assert.True(FileTypes.Check("so-lieu.xlsx", SampleFiles.XlsxWithEntries(300)).Accepted);
    }

    [Fact]
    public void Check_WhenDocxCarriesLargeStoredPictures_AcceptsIt()
    {
        var result = FileTypes.Check("bao-cao.docx", SampleFiles.DocxWithPictures());
        Assert.True(result.Accepted, result.Error);
    }
}
