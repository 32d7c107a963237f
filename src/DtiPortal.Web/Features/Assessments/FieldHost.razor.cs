using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>The base of the entry page's value holders (<see cref="GeneralItems"/>, a group of the general information, and <see cref="CriterionEntry"/>).</summary>
public abstract partial class FieldHost;

/// <summary>
/// A field's element ids and test ids. They depend on the field's address (from the criteria set) only, so they are built
/// once per address and shared by every circuit that shows the field; an open page's render buffers keep them (issue 17).
/// Only the browser-draft key also names the assessment.
/// </summary>
internal sealed class FieldIds(string address, int assessmentId)
{
    private sealed class ForAddress(string address)
    {
        public readonly string Dom = DomId(address);
        public readonly string Status = DomId(address) + "-status";
        public readonly string FieldTestId = "field-" + address;
        public readonly string InputTestId = "input-" + address;
        public readonly string StatusTestId = "status-" + address;
        public readonly ConcurrentDictionary<string, (string Id, string TestId)> Options = new(StringComparer.Ordinal);
    }

    private static string DomId(string address) => "f-" + address.Replace(':', '-').Replace('.', '-');

    private static readonly ConcurrentDictionary<string, ForAddress> ByAddress = new(StringComparer.Ordinal);

    private readonly ForAddress _shared = ByAddress.GetOrAdd(address, static a => new ForAddress(a));

    /// <summary>"field-4.2.b", shared: the test id of a field's holder, also for a criterion's input shown from the general information.</summary>
    public static string FieldTestIdOf(string address) => ByAddress.GetOrAdd(address, static a => new ForAddress(a)).FieldTestId;

    public string Dom => _shared.Dom;
    public string Status => _shared.Status;
    public string FieldTestId => _shared.FieldTestId;
    public string InputTestId => _shared.InputTestId;
    public string StatusTestId => _shared.StatusTestId;
    /// <summary>The key under which the browser keeps unsaved input (reconnect.js).</summary>
    public string DraftKey => field ??= $"{assessmentId}:{address}";

    /// <summary>A choice's radio button: its element id and test id ("option-1.1-2").</summary>
    public (string Id, string TestId) Option(string value) =>
        _shared.Options.GetOrAdd(value, static (v, s) => (s.Shared.Dom + "-" + v, "option-" + s.Address + "-" + v), (Shared: _shared, Address: address));

    private static readonly ConcurrentDictionary<(string Dom, string? Prefix, string Label, string? Unit), MarkupString> Labels = new();

    /// <summary>
    /// "&lt;label for=… class="field-label"&gt;a — Dân số (người)&lt;/label&gt;": one markup frame instead of an element, two
    /// attributes and three texts, the string shared by every circuit that shows the field (its parts come from the set).
    /// </summary>
    public MarkupString Label(string? prefix, string label, string? unit) => Labels.GetOrAdd((Dom, prefix, label, unit), static k =>
        new MarkupString($"<label for=\"{WebUtility.HtmlEncode(k.Dom)}\" class=\"field-label\">{WebUtility.HtmlEncode(k.Prefix + k.Label + AssessmentText.UnitSuffix(k.Unit))}</label>"));
}
