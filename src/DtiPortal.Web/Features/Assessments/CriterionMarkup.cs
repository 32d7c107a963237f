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
