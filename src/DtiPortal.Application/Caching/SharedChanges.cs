namespace DtiPortal.Application.Caching;

/// <summary>
/// Issue 17 (ADR-012): what this instance knows about changes committed by the other instances. The web app's Redis link
/// (<c>Web/Deployment/SharedCaches.cs</c>) sets <see cref="Linked"/> while its subscription provably receives every
/// instance's invalidations, and forwards each committed change of this instance (<see cref="Committed"/>) to the others.
/// Without Redis nothing is ever linked, and every cache checks PostgreSQL as it always did.
/// </summary>
public sealed class SharedChanges
{
    private long _epoch;
    private volatile bool _linked;

    /// <summary>True while every instance's committed changes reach this one.</summary>
    public bool Linked => _linked;

    /// <summary>Changes whenever the link was lost: whatever was trusted before must be checked again.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Raised after a commit on this instance changed what <see cref="ScoreChange"/> names.</summary>
    public event Action<ScoreChange>? Committed;

    public void SetLinked(bool linked)
    {
        _linked = linked;
        if (!linked) Interlocked.Increment(ref _epoch); // entries checked while linked are not trusted again
    }

    internal void RaiseCommitted(ScoreChange change) => Committed?.Invoke(change);
}

/// <summary>Assessments whose values changed, and rounds whose assessments were added or removed.</summary>
public sealed record ScoreChange(IReadOnlyCollection<int> AssessmentIds, IReadOnlyCollection<int> RoundIds)
{
    public bool IsEmpty => AssessmentIds.Count == 0 && RoundIds.Count == 0;

    /// <summary>A compact text for the wire: "a:1,2;r:3".</summary>
    public string ToWire() => $"a:{string.Join(',', AssessmentIds)};r:{string.Join(',', RoundIds)}";

    public static ScoreChange? FromWire(string text)
    {
        var parts = text.Split(';');
        if (parts.Length != 2 || !parts[0].StartsWith("a:", StringComparison.Ordinal) || !parts[1].StartsWith("r:", StringComparison.Ordinal)) return null;
        static int[]? Ids(string list)
        {
            if (list.Length == 0) return [];
            var items = list.Split(',');
            var ids = new int[items.Length];
            for (var i = 0; i < items.Length; i++)
                if (!int.TryParse(items[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ids[i])) return null;
            return ids;
        }
        return Ids(parts[0][2..]) is { } a && Ids(parts[1][2..]) is { } r ? new ScoreChange(a, r) : null;
    }
}
