using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using DtiPortal.Application.PublicResults;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Public;

/// <summary>
/// The rows of a ranking table as HTML, kept with the cached <see cref="Ranking"/> they come from (a publication replaces
/// the ranking, and with it these strings). Each row is built once, the whole table once: a ranking page then costs a
/// string per request instead of rendering hundreds of rows × a dozen cells (docs/benchmarks.md). Text is HTML-encoded
/// (&lt;, &gt;, &amp;, quotes); Vietnamese letters are left as they are (the page is UTF-8), which halves the page's size.
/// </summary>
public sealed class RankingMarkup
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly ConditionalWeakTable<Ranking, RankingMarkup> Built = new();

    private readonly ConcurrentDictionary<int, string> _rows = new();
    private readonly RankingScale _scale;
    private readonly bool _showProvince;
    private MarkupString? _all;

    private RankingMarkup(RankingScale scale, bool showProvince)
    {
        _scale = scale;
        _showProvince = showProvince;
    }

    /// <summary>The markup cache of <paramref name="ranking"/> (shared by every request until the ranking is replaced).</summary>
    public static RankingMarkup For(Ranking ranking, bool showProvince) =>
        Built.GetValue(ranking, r => new RankingMarkup(r.Scale, showProvince));

    /// <summary>
    /// The &lt;tr&gt; rows of <paramref name="rows"/>: all of the ranking (<paramref name="totalRows"/> of them), or a filtered or
    /// paged part. A row's values never change within one ranking, so its markup is built once.
    /// </summary>
    public MarkupString Rows(IReadOnlyList<RankedUnit> rows, int totalRows)
    {
        var whole = rows.Count == totalRows;
        if (whole && _all is { } all) return all;
        var sb = new StringBuilder(rows.Count * 300);
        foreach (var r in rows) sb.Append(_rows.GetOrAdd(r.AssessmentId, _ => Row(r)));
        var markup = new MarkupString(sb.ToString());
        if (whole) _all = markup;
        return markup;
    }

    private string Row(RankedUnit r)
    {
        var sb = new StringBuilder(300);
        Write(sb, r, _scale, _showProvince);
        return sb.ToString();
    }

    // Compact cells (a ranking page is mostly these rows): numbers are plain <td> (right-aligned by public.css), text cells
    // class "t", the total class "s".
    private static void Write(StringBuilder sb, RankedUnit r, RankingScale scale, bool showProvince)
    {
        sb.Append("<tr><td>").Append(r.Rank).Append("</td><th scope=\"row\"><a href=\"/ket-qua/")
            .Append(r.RoundId).Append('/').Append(r.AssessmentId).Append("\">").Append(Encoder.Encode(r.UnitName)).Append("</a></th>");
        if (showProvince) Cell(sb, r.ProvinceName ?? PublicText.Missing, "t");
        Cell(sb, r.ParentName ?? PublicText.Missing, "t");
        if (!scale.LevelsOnly) Cell(sb, PublicText.Number(r.Total), "s");
        if (scale.Levels.Count > 0) Cell(sb, PublicText.Level(r.Level, r.LevelName), "t");
        foreach (var value in r.Indices) Cell(sb, PublicText.Index(scale, value), null);
        sb.Append("</tr>\n");
    }

    private static void Cell(StringBuilder sb, string text, string? cssClass) =>
        sb.Append(cssClass is null ? "<td>" : $"<td class=\"{cssClass}\">").Append(Encoder.Encode(text)).Append("</td>");
}
