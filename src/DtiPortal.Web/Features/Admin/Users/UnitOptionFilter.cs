using DtiPortal.Application.Identity;
using DtiPortal.Domain;

namespace DtiPortal.Web.Features.Admin.Users;

/// <summary>Accent-insensitive filtering of the unit pickers ("lac dao" finds "Lạc Đạo"), capped so a system admin's
/// few thousand units do not all render at once; the selected unit always stays in the list so its name shows.</summary>
internal static class UnitOptionFilter
{
    public const int Max = 200;

    public static List<UnitOption> Apply(IReadOnlyList<UnitOption> all, string? text, int? selectedId)
    {
        var folded = VietnameseText.Fold(text ?? "");
        var hits = all.Where(u => folded.Length == 0 || u.SearchKey.Contains(folded, StringComparison.Ordinal)).Take(Max).ToList();
        if (selectedId is { } id && hits.All(u => u.Id != id) && all.FirstOrDefault(u => u.Id == id) is { } selected) hits.Insert(0, selected);
        return hits;
    }
}
