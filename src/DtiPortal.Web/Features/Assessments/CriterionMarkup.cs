using System.Net;
using System.Runtime.CompilerServices;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>
/// The parts of a criterion on the entry page that only the criteria set decides (its title, how it is scored, the
/// evidence it asks for, who leads it), as markup built once per criterion of a loaded set and shared by every circuit
/// that shows it. Rendered as Razor, they were dozens of render-tree frames per criterion kept twice in every open page;
/// as markup they are one frame pointing at a shared string (issue 17, ADR-014).
/// </summary>
public static class CriterionMarkup
{
    private sealed record Parts(MarkupString Title, MarkupString Method, MarkupString MethodWithMax, MarkupString Details);

    // Keyed by the node object: a set's model is loaded once and shared (CriteriaSetCache), so a new version is a new node.
    private static readonly ConditionalWeakTable<CriterionNode, Parts> Cache = new();

    /// <summary>"1.2. Tên tiêu chí" as the criterion's heading.</summary>
    public static MarkupString Title(CriterionNode node) => Of(node).Title;

    /// <summary>"Cách tính: …", with the maximum points when the set scores on points.</summary>
    public static MarkupString Method(CriterionNode node, bool withMax) => withMax ? Of(node).MethodWithMax : Of(node).Method;

    /// <summary>The evidence asked for, the lead and coordinating bodies: &lt;dt&gt;/&lt;dd&gt; pairs for a details list.</summary>
    public static MarkupString Details(CriterionNode node) => Of(node).Details;

    private static Parts Of(CriterionNode node) => Cache.GetValue(node, Build);

    private static Parts Build(CriterionNode node)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var title = $"<h4 class=\"criterion-title\">{E(node.Code)}. {E(node.Name)}</h4>";
        var method = $"<p class=\"method\" data-testid=\"method-{E(node.Code)}\"><strong>Cách tính:</strong> {E(MethodDescriber.Describe(node))}";
        var withMax = method + $"<span class=\"unit-kind\"> (điểm tối đa {E(VnFormat.Number(node.Max))})</span></p>";
        var d = node.Details;
        var details = $"<dt>Tài liệu kiểm chứng</dt><dd>{E(d.Evidence.Count == 0 ? "Không quy định" : string.Join("; ", d.Evidence))}{(d.EvidenceRequired ? " (bắt buộc)" : "")}</dd>"
            + (d.Lead is { Length: > 0 } lead ? $"<dt>Đơn vị chủ trì</dt><dd>{E(lead)}</dd>" : "")
            + (d.Coordinating.Count > 0 ? $"<dt>Đơn vị phối hợp</dt><dd>{E(string.Join("; ", d.Coordinating))}</dd>" : "");
        return new Parts(new MarkupString(title), new MarkupString(method + "</p>"), new MarkupString(withMax), new MarkupString(details));
    }
}

/// <summary>
/// The ids, test ids and labels the entry page gives a criterion and its evidence panel, built once per criterion code and
/// shared by every circuit: written as "crit-@Node.Code" in Razor, each render built them again, and an open page's render
/// buffers keep them (issue 17). Codes come from the criteria sets, so the table stays small.
/// </summary>
public sealed class CriterionIds
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CriterionIds> Cache = new(StringComparer.Ordinal);

    public static CriterionIds Of(string code) => Cache.GetOrAdd(code, static c => new CriterionIds(c));

    private CriterionIds(string code)
    {
        Element = "crit-" + code;
        TestId = "criterion-" + code;
        Points = "points-" + code;
        LevelMet = "level-met-" + code;
        Explain = "explain-" + code;
        ScoreLabel = "Điểm tiêu chí " + code;
        Assignment = "assignment-" + code;
        AssignInput = "assign-" + code;
        AssignLabel = "Phòng/ban phụ trách tiêu chí " + code;
        LastEdited = "last-edited-" + code;
        Evidence = "evidence-" + code;
        FileInput = "ev-" + code;
        Upload = "upload-" + code;
        UploadLabel = "Tải tệp tài liệu kiểm chứng lên cho tiêu chí " + code;
        AddLink = "add-link-" + code;
        var e = WebUtility.HtmlEncode(code);
        EvidenceNone = new MarkupString($"<h5 class=\"evidence-title\">{EvidenceTitle(0)}</h5><p class=\"unit-kind\" data-testid=\"evidence-empty-{e}\">Chưa có tài liệu nào.</p>");
        UploadButton = new MarkupString($"<label class=\"mud-button-root mud-button mud-button-outlined mud-button-outlined-secondary mud-button-outlined-size-small upload-button\" for=\"ev-{e}\">Tải tệp lên</label>");
    }

    /// <summary>An empty evidence panel's title and "Chưa có tài liệu nào." as one markup frame.</summary>
    public MarkupString EvidenceNone { get; }
    /// <summary>The label that opens the file input (styled as MudBlazor's outlined button).</summary>
    public MarkupString UploadButton { get; }

    public string Element { get; }
    public string TestId { get; }
    public string Points { get; }
    public string LevelMet { get; }
    public string Explain { get; }
    public string ScoreLabel { get; }
    public string Assignment { get; }
    /// <summary>The department input's id and test id.</summary>
    public string AssignInput { get; }
    public string AssignLabel { get; }
    public string LastEdited { get; }
    public string Evidence { get; }
    /// <summary>The evidence panel's file input (one panel per criterion on a page).</summary>
    public string FileInput { get; }
    public string Upload { get; }
    public string UploadLabel { get; }
    public string AddLink { get; }

    private static readonly string[] EvidenceTitles = [.. Enumerable.Range(0, 10).Select(n => $"Tài liệu kiểm chứng đã đính kèm ({n})")];

    /// <summary>"Tài liệu kiểm chứng đã đính kèm (n)", the usual counts shared.</summary>
    public static string EvidenceTitle(int count) => count < EvidenceTitles.Length ? EvidenceTitles[count] : $"Tài liệu kiểm chứng đã đính kèm ({count})";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<decimal, string> MaxTexts = new();

    /// <summary>" / 100 điểm" after a criterion's points (a set has few distinct maxima).</summary>
    public static string OutOf(decimal max) => MaxTexts.GetOrAdd(max, static m => $" / {VnFormat.Number(m)} điểm");
}

/// <summary>A main index's section ids and test ids on the entry page, shared by every circuit (see <see cref="CriterionIds"/>).</summary>
public sealed class SectionIds
{
    // Keyed by the node (a new set version is a new node), as CriterionMarkup: the title is the set's.
    private static readonly ConditionalWeakTable<CriterionNode, SectionIds> Cache = new();

    public static SectionIds Of(CriterionNode section) => Cache.GetValue(section, static s => new SectionIds(s));

    private SectionIds(CriterionNode section)
    {
        var code = section.Code;
        Title = $"{code}. {section.Name}";
        Element = "sec-" + code;
        Body = "sec-" + code + "-body";
        TestId = "section-" + code;
        Toggle = "toggle-" + code;
        Count = "section-count-" + code;
        Points = "section-points-" + code;
        _title = WebUtility.HtmlEncode(Title);
        IndexTotal = "index-total-" + code;
        IndexLink = new MarkupString($"<a href=\"#{Element}\">{_title}</a>");
    }

    /// <summary>The score bar's line for this main index: its test id and its link to the section.</summary>
    public string IndexTotal { get; }
    public MarkupString IndexLink { get; }

    private readonly string _title;

    /// <summary>"1. Nhận thức số" after the header's arrow.</summary>
    public string Title { get; }
    public string Element { get; }
    public string Body { get; }
    public string TestId { get; }
    public string Toggle { get; }
    public string Count { get; }
    public string Points { get; }

    /// <summary>
    /// What a section's header button says after its title (<see cref="TitleMarkup"/>, shared): "12/19 mục đã nhập" and, when
    /// the set scores on points, the section's points, as one markup frame. Every open page renders every header; as elements
    /// and texts they were a tenth of the page's frames and kept it in a buffer twice the size (issue 17, ADR-014).
    /// </summary>
    public MarkupString Header(string count, bool done, string? points)
    {
        // One instance per distinct header, shared by the circuits that show it (most pages show the same counts and many the
        // same points); past a bound, made afresh rather than kept.
        var key = (count, done, points);
        if (_headers.TryGetValue(key, out var shared)) return new(shared);
        var text = " " + CountSpan(Count, count, done)
            + (points is null ? "" : $" <span class=\"max-badge\" data-testid=\"{Points}\">{WebUtility.HtmlEncode(points)}</span>");
        if (Volatile.Read(ref _headerCount) < MaxSharedHeaders && _headers.TryAdd(key, text)) Interlocked.Increment(ref _headerCount);
        return new(text);
    }

    private const int MaxSharedHeaders = 2048;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Count, bool Done, string? Points), string> _headers = new();
    private int _headerCount; // ConcurrentDictionary.Count takes every lock

    /// <summary>The section's title before <see cref="Header"/>, shared by every circuit.</summary>
    public MarkupString TitleMarkup => new(_title);

    /// <summary>The general information's count, as <see cref="Header"/>, between <see cref="GeneralTitle"/> and <see cref="GeneralHint"/>.</summary>
    public static MarkupString GeneralHeader(string count, bool done) =>
        new(GeneralHeaders.GetOrAdd((count, done), static k => " " + CountSpan("section-count-general", k.Count, k.Done)));

    // Bounded by the set's general items: "n/N mục đã nhập" for n ≤ N.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Count, bool Done), string> GeneralHeaders = new();

    /// <summary>"Thông tin chung" before <see cref="GeneralHeader"/>.</summary>
    public static readonly MarkupString GeneralTitle = new("Thông tin chung");

    /// <summary>The general information's hint after its count.</summary>
    public static readonly MarkupString GeneralHint = new(" <span class=\"unit-kind\">(nhập một lần, dùng cho các tiêu chí có nhãn “lấy từ thông tin chung”)</span>");

    private static string CountSpan(string testId, string count, bool done) =>
        $"<span class=\"{CountClass(done)}\" data-testid=\"{testId}\">{WebUtility.HtmlEncode(count)}</span>";

    public static string CountClass(bool done) => done ? "section-count done" : "section-count";
}
