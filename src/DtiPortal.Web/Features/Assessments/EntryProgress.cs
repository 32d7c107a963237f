using DtiPortal.Domain.Criteria;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>
/// How far entry has got (issue 15): per main index, how many of its fields hold a value ("12/19 mục đã nhập"), and which
/// editable field is the next empty one after the one last visited (the page's "Đến ô chưa nhập tiếp theo"). A field taken
/// from the general information is counted there, not under each criterion that uses it. No data access, no markup.
/// </summary>
public static class EntryProgress
{
    /// <summary>One enterable field in page order, with the section ("general" or a main index's code) that holds it.</summary>
    public sealed record Slot(string Section, string Criterion, FieldState Field, bool Editable);

    /// <summary>"12/19 mục đã nhập".</summary>
    public static string CountText(int entered, int total) => $"{entered}/{total} mục đã nhập";

    /// <summary>Has the field a value (what is in the box, saved or still being saved)?</summary>
    public static bool IsEntered(FieldState field) => field.Text.Trim().Length > 0;

    /// <summary>Entered and total fields of one section.</summary>
    public static (int Entered, int Total) Count(IEnumerable<Slot> slots, string section)
    {
        var mine = slots.Where(s => s.Section == section).ToList();
        return (mine.Count(s => IsEntered(s.Field)), mine.Count);
    }

    /// <summary>
    /// The next empty editable field after <paramref name="after"/> (an address; null: from the top), wrapping round to the
    /// top; null when every editable field holds a value.
    /// </summary>
    public static Slot? NextEmpty(IReadOnlyList<Slot> slots, string? after)
    {
        var start = after is null ? -1 : IndexOf(slots, after);
        for (var i = 1; i <= slots.Count; i++)
        {
            var slot = slots[(start + i + slots.Count) % slots.Count];
            if (slot.Editable && !IsEntered(slot.Field)) return slot;
        }
        return null;
    }

    private static int IndexOf(IReadOnlyList<Slot> slots, string address)
    {
        for (var i = 0; i < slots.Count; i++)
            if (slots[i].Field.Address == address) return i;
        return -1;
    }

    /// <summary>
    /// Every enterable field of the page in the order it shows them: the general information, then each main index's
    /// criteria in the set's order, each criterion's own inputs (not those taken from the general information).
    /// </summary>
    public static List<Slot> Slots(CriteriaSet set, IReadOnlyList<CriterionNode> sections, Func<string, FieldState?> general,
        Func<string, IEnumerable<FieldState>> fieldsOf, bool generalEditable, Func<string, bool> criterionEditable)
    {
        var slots = new List<Slot>();
        foreach (var g in set.General)
            if (general(g.Code) is { } f) slots.Add(new Slot("general", "", f, generalEditable));
        foreach (var section in sections)
            foreach (var node in Leaves(section))
                foreach (var f in fieldsOf(node.Code))
                    slots.Add(new Slot(section.Code, node.Code, f, criterionEditable(node.Code)));
        return slots;
    }

    private static IEnumerable<CriterionNode> Leaves(CriterionNode node) =>
        node.IsGroup ? node.Children.SelectMany(Leaves) : [node];
}
