using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Web.Features.Assessments;

public enum SaveState { Idle, Pending, Saving, Saved, Invalid, Conflict, Failed }

/// <summary>
/// One enterable value on the entry page: what is in the box (never replaced behind the user's back), the version
/// last seen from the server, and where its autosave stands. Owned by <see cref="EntryForm"/>; fields render it.
/// </summary>
public sealed class FieldState(string address, string label, string? unit, InputType type, IReadOnlyList<string> options, bool isList)
{
    public string Address { get; } = address;
    public string Label { get; } = label;
    public string? Unit { get; } = unit;
    public InputType Type { get; } = type;
    /// <summary>Option labels for a choice (the stored value is the 1-based number); empty otherwise.</summary>
    public IReadOnlyList<string> Options { get; } = options;
    public bool IsList { get; } = isList;

    public string Text { get; set; } = "";
    /// <summary>The text the server last accepted (or sent); equal to <see cref="Text"/> when nothing waits to be saved.</summary>
    public string SavedText { get; set; } = "";
    public int Version { get; set; }
    public SaveState State { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset? SavedAt { get; set; }
    /// <summary>The other person's value after a conflict.</summary>
    public StoredValue? Theirs { get; set; }
    public string? UpdatedBy { get; set; }

    // The autosave's bookkeeping, kept by EntryForm: the pending debounce timer (its generation tells a timer that fired
    // after being replaced to do nothing) and the save under way.
    internal ITimer? Timer { get; set; }
    internal int TimerGeneration { get; set; }
    internal Task? Saving { get; set; }
    public bool InFlight => Saving is not null;

    private FieldIds? _ids;
    internal FieldIds Ids(int assessmentId) => _ids ??= new FieldIds(Address, assessmentId);

    public bool HasUnsavedText => Text != SavedText;
    public bool NeedsAttention => State is SaveState.Invalid or SaveState.Conflict or SaveState.Failed;

    public void Load(StoredValue? stored)
    {
        Text = SavedText = AssessmentText.ToText(stored?.Value);
        Version = stored?.Version ?? 0;
        SavedAt = stored?.UpdatedAt;
        UpdatedBy = stored?.UpdatedBy;
    }
}
