using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using DtiPortal.Application.Reviews;
using DtiPortal.Web.Documents;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DtiPortal.E2E.Documents;

/// <summary>
/// The minutes and the decision, printed by the real Chromium and read back with pdftotext: the text must come out
/// with every diacritic (DejaVu drops ế, ệ, ố in PDFs; Noto does not), and model text can never become markup.
/// </summary>
public sealed class ReviewDocumentRendererTests(DocumentRendererFixture fixture, ITestOutputHelper output)
    : IClassFixture<DocumentRendererFixture>
{
    private IReviewDocumentRenderer Renderer => fixture.Renderer;

    [Fact]
    public async Task RenderPdf_AppraisalMinutes_PrintsEveryPartWithDiacriticsIntact()
    {
        output.WriteLine($"First PDF (browser launch included): {fixture.ColdPdf.TotalMilliseconds:0} ms; second: {fixture.WarmPdf.TotalMilliseconds:0} ms");
        var pdf = await Renderer.RenderPdfAsync(ReviewDocumentKind.AppraisalMinutes, DocumentSamples.LacDao());

        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
        var text = await fixture.PdfTextAsync(pdf, "bien-ban");
        AssertContains(text,
            "HỘI ĐỒNG THẨM ĐỊNH CHUYỂN ĐỔI SỐ TỈNH HƯNG YÊN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 07/BB-HĐTĐ", // the minutes' own number (separate numbering, the default)
            "Hưng Yên, ngày 23 tháng 11 năm 2026", // 18:30 UTC on the 22nd is the 23rd in Vietnam
            "BIÊN BẢN THẨM ĐỊNH",
            "Về kết quả thẩm định mức độ chuyển đổi số và Chỉ số chuyển đổi số năm 2026 của xã Lạc Đạo",
            "Xã Lạc Đạo, Huyện Văn Lâm, Tỉnh Hưng Yên",
            "Bộ chỉ số đánh giá chuyển đổi số cấp xã (ban hành kèm theo Quyết định số 2361/QĐ-BTTTT ngày 31/12/2024)",
            "Điểm tự đánh giá", "Điểm thẩm định", "Điểm đạt được", "Mức tự đánh giá", "Mức đạt được", "Ghi chú",
            "Ban hành kế hoạch chuyển đổi số năm của Ủy ban nhân dân xã",
            "Tỷ lệ người dân có tài khoản định danh điện tử mức độ 2",
            "102,5", "172,5",
            "Tổng cộng", "1.000", "812,5",
            "Mức độ chuyển đổi số được công nhận: Mức 3 – Cơ bản",
            "Nguyễn Thị Hường", "Phạm Văn Đức", "Lê Thị Huyền Trang", "Đồng ý", "Không đồng ý",
            "Đề nghị xem xét lại điểm tiêu chí 3.1.",
            "Kết quả biểu quyết: 2/3 thành viên đồng ý.",
            "Nguyễn Văn Dũng (Phòng Văn hóa và Thông tin huyện Văn Lâm): Chuyển Hội đồng thẩm định",
            "được chốt lúc 01:25 ngày 23/11/2026, gồm 45 đơn vị",
            "THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG", "Trần Quốc Việt",
            "Trang 1/");
    }

    [Fact]
    public async Task RenderPdf_RecognitionDecision_PrintsTheDecisionWithVietnameseNumbers()
    {
        var pdf = await Renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, DocumentSamples.LacDao());

        var text = await fixture.PdfTextAsync(pdf, "quyet-dinh");
        AssertContains(text,
            "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 12/QĐ-UBND",
            "Hưng Yên, ngày 23 tháng 11 năm 2026",
            "QUYẾT ĐỊNH",
            "Về việc công nhận mức độ chuyển đổi số và Chỉ số chuyển đổi số năm 2026 của xã Lạc Đạo",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN",
            "Căn cứ Quyết định số 2361/QĐ-BTTTT ngày 31/12/2024",
            "Căn cứ Biên bản thẩm định số 07/BB-HĐTĐ ngày 23/11/2026 của Hội đồng thẩm định chuyển đổi số tỉnh Hưng Yên",
            "QUYẾT ĐỊNH:",
            "Điều 1. Công nhận xã Lạc Đạo (huyện Văn Lâm, tỉnh Hưng Yên) đạt 812,5/1.000 điểm Chỉ số chuyển đổi số năm 2026 "
                + "và đạt mức độ chuyển đổi số Mức 3 – Cơ bản.",
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
            "Điều 3.",
            "Nơi nhận:", "- Như Điều 3;",
            "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Quốc Việt",
            "Trang 1/1");
    }

    [Fact]
    public async Task RenderPdf_WhenModelTextHoldsMarkup_PrintsItLiterally()
    {
        var model = DocumentSamples.LacDao() with
        {
            UnitName = "Xã Lạc Đạo <script>alert(1)</script>",
            Votes = [new("Nguyễn Thị Hường", "Ủy viên", true, "<img src=x onerror=alert(1)>")],
            ReviewSteps = ["<b>đậm</b> & \"trích dẫn\""],
        };

        var html = await Renderer.RenderHtmlAsync(ReviewDocumentKind.AppraisalMinutes, model);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>đậm", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);

        var minutes = await fixture.PdfTextAsync(await Renderer.RenderPdfAsync(ReviewDocumentKind.AppraisalMinutes, model), "markup-bien-ban");
        AssertContains(minutes, "của xã Lạc Đạo <script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>đậm</b> & \"trích dẫn\"");
        var decision = await fixture.PdfTextAsync(await Renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, model), "markup-quyet-dinh");
        AssertContains(decision, "Công nhận xã Lạc Đạo <script>alert(1)</script> (huyện Văn Lâm, tỉnh Hưng Yên)");
    }

    [Fact]
    public async Task RenderHtml_AppraisalMinutes_HasTheNationalHeaderAndTheSetsColumns()
    {
        var html = WebUtility.HtmlDecode(await Renderer.RenderHtmlAsync(ReviewDocumentKind.AppraisalMinutes, DocumentSamples.LacDao()));

        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<html lang=\"vi\">", html, StringComparison.Ordinal);
        Assert.Contains("font-family: \"Noto Sans\", \"Noto Serif\"", html, StringComparison.Ordinal);
        Assert.Contains("Xã Lạc Đạo", html, StringComparison.Ordinal); // readable, not &#x...; escapes
        var header = Part(html, "national-header", "table");
        // Left: the issuing body in capitals over its short rule, then the number; right: State title, motto, place and date.
        Assert.Matches(new Regex(
            "data-part=\"issuer\">HỘI ĐỒNG THẨM ĐỊNH CHUYỂN ĐỔI SỐ TỈNH HƯNG YÊN</div>\\s*<div class=\"rule issuer-rule\">.*" +
            "data-part=\"nation\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>\\s*<div class=\"motto\" data-part=\"motto\"><span>Độc lập - Tự do - Hạnh phúc</span>.*" +
            "data-part=\"number\">Số: 07/BB-HĐTĐ</td>\\s*<td class=\"right date-line\" data-part=\"date-line\">Hưng Yên, ngày 23 tháng 11 năm 2026</td>",
            RegexOptions.Singleline), header);

        var columns = Regex.Matches(Part(html, "criteria", "table"), "<th>(.*?)</th>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["STT/Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm đạt được", "Mức tự đánh giá", "Mức đạt được", "Ghi chú"],
            columns);
        Assert.Matches("<tr class=\"group\"><td class=\"code\">2</td>\\s*<td class=\"depth-0\">Hạ tầng và nền tảng số</td>", html);
        Assert.Contains("<td class=\"depth-1\">Tỷ lệ hộ gia đình có kết nối Internet cáp quang băng rộng</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderHtml_WhenTheSetOnlyRecognisesLevels_ShowsNoPointColumns()
    {
        var model = DocumentSamples.LacDao() with { UsesPoints = false, SetDecision = null };

        var minutes = WebUtility.HtmlDecode(await Renderer.RenderHtmlAsync(ReviewDocumentKind.AppraisalMinutes, model));
        var columns = Regex.Matches(Part(minutes, "criteria", "table"), "<th>(.*?)</th>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["STT/Mã", "Tiêu chí", "Mức tự đánh giá", "Mức đạt được", "Ghi chú"], columns);
        Assert.Contains("Về kết quả thẩm định mức độ chuyển đổi số năm 2026 của xã Lạc Đạo", minutes, StringComparison.Ordinal);
        Assert.DoesNotContain("điểm", Part(minutes, "criteria", "table"), StringComparison.OrdinalIgnoreCase);

        var decision = WebUtility.HtmlDecode(await Renderer.RenderHtmlAsync(ReviewDocumentKind.RecognitionDecision, model));
        Assert.DoesNotContain("Căn cứ Quyết định số", decision, StringComparison.Ordinal); // no set decision known
        Assert.Contains("đạt mức độ chuyển đổi số Mức 3 – Cơ bản năm 2026.", Squashed(decision), StringComparison.Ordinal);
        Assert.DoesNotContain("điểm Chỉ số", decision, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderPdf_SeveralAtOnce_AllSucceedOnTheSharedBrowser()
    {
        var model = DocumentSamples.LacDao();
        var pdfs = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            Renderer.RenderPdfAsync(i % 2 == 0 ? ReviewDocumentKind.AppraisalMinutes : ReviewDocumentKind.RecognitionDecision, model)));
        Assert.All(pdfs, pdf => Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5)));
    }

    [Fact]
    public async Task PrintAsync_WhenTheDocumentReferencesTheNetwork_FetchesNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var html = $"<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"{url}/a.css\"><style>@font-face {{ font-family: X; src: url({url}/f.woff2); }}</style></head>" +
                   $"<body style=\"font-family: X\"><img src=\"{url}/b.png\"><iframe src=\"{url}/c\"></iframe>Nội dung</body></html>";
        var pdf = await fixture.PdfAsync(html);

        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
        Assert.False(listener.Pending(), "Chromium connected to the loopback server while printing a document.");
    }

    [Fact]
    public async Task RenderPdf_WhenChromiumIsMissing_RefusesInVietnameseNamingTheSetting()
    {
        await using var services = DocumentRendererFixture.BuildServices("/khong-co/chromium");
        var renderer = services.GetRequiredService<IReviewDocumentRenderer>();

        var ex = await Assert.ThrowsAsync<ReviewDocumentException>(() =>
            renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, DocumentSamples.LacDao()));
        Assert.Equal("Không tìm thấy Chromium để tạo tệp PDF (cấu hình Pdf:ChromiumPath = /khong-co/chromium).", ex.Message);
        // The HTML needs no browser: a preview still works on such a machine.
        Assert.Contains("QUYẾT ĐỊNH", await renderer.RenderHtmlAsync(ReviewDocumentKind.RecognitionDecision, DocumentSamples.LacDao()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderPdf_BlankNumbersAndCorrectionReasons_PrintAProperBlankTheReasonsAndNoRawIds()
    {
        var sample = DocumentSamples.LacDao();
        var rows = sample.Rows.Select(r => r.Code == "2.1"
            ? r with { Note = "Điều chỉnh khi thẩm định. Cấp huyện thẩm tra: Nhà mạng xác nhận 1.180 hộ. Hội đồng thẩm định: Đối chiếu lại, giữ số của huyện" }
            : r).ToList();
        var model = sample with { DocumentNumber = "/QĐ-UBND", MinutesNumber = "/BB-HĐTĐ", Rows = rows };

        var minutes = await fixture.PdfTextAsync(await Renderer.RenderPdfAsync(ReviewDocumentKind.AppraisalMinutes, model), "bien-ban-trong-so");
        var decision = await fixture.PdfTextAsync(await Renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, model), "quyet-dinh-trong-so");
        AssertContains(minutes, "Số: ……/BB-HĐTĐ", "Nhà mạng xác nhận 1.180 hộ", "Đối chiếu lại, giữ số của huyện");
        AssertContains(decision, "Số: ……/QĐ-UBND", "Căn cứ Biên bản thẩm định số ……/BB-HĐTĐ");
        foreach (var text in new[] { minutes, decision })
        {
            Assert.False(text.Contains("Số: /"), "a blank number printed bare:\n" + text.Layout);
            Assert.DoesNotMatch(GuidPattern, text.Layout);
        }
        foreach (var kind in Enum.GetValues<ReviewDocumentKind>())
            Assert.DoesNotMatch(GuidPattern, await Renderer.RenderHtmlAsync(kind, model));
    }

    private static readonly Regex GuidPattern = new("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    [Fact]
    public async Task RenderPdf_WhenTheBrowserDied_RelaunchesIt()
    {
        await using var services = DocumentRendererFixture.BuildServices(DocumentRendererFixture.ChromiumPath);
        var renderer = services.GetRequiredService<IReviewDocumentRenderer>();
        var before = ChromiumProcesses.Descendants();
        await renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, DocumentSamples.LacDao());
        var ours = ChromiumProcesses.Descendants().Except(before).ToList();
        Assert.NotEmpty(ours);

        foreach (var pid in ours) ChromiumProcesses.Kill(pid); // a crash, as the OOM killer would do it

        var pdf = await renderer.RenderPdfAsync(ReviewDocumentKind.RecognitionDecision, DocumentSamples.LacDao());
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5));
    }

    private static void AssertContains(PdfText text, params string[] phrases)
    {
        var missing = phrases.Where(p => !text.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"Missing from the PDF text: {string.Join(" | ", missing)}\n--- pdftotext -layout ---\n{text.Layout}");
    }

    private static string Squashed(string html) => Regex.Replace(html, "\\s+", " ");

    /// <summary>The element carrying data-part="<paramref name="part"/>" (no nesting of the same tag inside).</summary>
    private static string Part(string html, string part, string tag)
    {
        var start = html.IndexOf($"data-part=\"{part}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No data-part=\"{part}\" in the HTML.");
        var end = html.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return html[start..end];
    }
}
