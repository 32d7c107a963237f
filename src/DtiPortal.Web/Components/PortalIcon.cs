using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Web.Components;

/// <summary>
/// A MudBlazor icon (an <c>Icons.Material.*</c> SVG path) as plain markup, for the parts every circuit renders (the
/// layout, the entry page's rows): one markup frame pointing at a string shared by all circuits, instead of a
/// <c>MudIcon</c> component with its own render buffers in each circuit (issue 17, ADR-014).
/// </summary>
public static class PortalIcon
{
    private static readonly ConcurrentDictionary<(string Icon, string? Class), MarkupString> Cache = new();

    /// <summary>The icon as an <c>&lt;svg&gt;</c> hidden from screen readers (the control around it carries the name).</summary>
    public static MarkupString Svg(string icon, string? cssClass = null) =>
        Cache.GetOrAdd((icon, cssClass), static key => new MarkupString(
            $"<svg class=\"portal-icon{(key.Class is null ? "" : " " + key.Class)}\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{key.Icon}</svg>"));
}
