using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>The base of the entry page's value holders (<see cref="GeneralItems"/>, a group of the general information, and <see cref="CriterionEntry"/>).</summary>
public abstract partial class FieldHost;

/// <summary>
/// A field's element ids and test ids, built once per field rather than on every render (each render's strings stay
/// referenced by the component's two render buffers until the next: issue 17).
/// </summary>
internal sealed class FieldIds(string address, int assessmentId)
{
    public string Dom { get; } = "f-" + address.Replace(':', '-').Replace('.', '-');
    public string Status => field ??= Dom + "-status";
    public string FieldTestId => field ??= "field-" + address;
    public string InputTestId => field ??= "input-" + address;
    public string StatusTestId => field ??= "status-" + address;
    /// <summary>The key under which the browser keeps unsaved input (reconnect.js).</summary>
    public string DraftKey => field ??= $"{assessmentId}:{address}";

    private static readonly ConcurrentDictionary<(string Dom, string? Prefix, string Label, string? Unit), MarkupString> Labels = new();

    /// <summary>
    /// "&lt;label for=… class="field-label"&gt;a — Dân số (người)&lt;/label&gt;": one markup frame instead of an element, two
    /// attributes and three texts, the string shared by every circuit that shows the field (its parts come from the set).
    /// </summary>
    public MarkupString Label(string? prefix, string label, string? unit) => Labels.GetOrAdd((Dom, prefix, label, unit), static k =>
        new MarkupString($"<label for=\"{WebUtility.HtmlEncode(k.Dom)}\" class=\"field-label\">{WebUtility.HtmlEncode(k.Prefix + k.Label + AssessmentText.UnitSuffix(k.Unit))}</label>"));
}
