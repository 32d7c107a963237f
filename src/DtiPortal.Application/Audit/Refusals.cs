namespace DtiPortal.Application.Audit;

/// <summary>
/// The one way a refusal reaches the audit trail (issue 16 §1): action "AccessDenied", Success false, the detail
/// "what was asked: why not" in Vietnamese. Use cases, the access guards, the pages' refusal notice and the HTTP endpoints'
/// refusal filter all write through <see cref="RefusedAsync"/>, so a sweep over ids leaves the same trace as a denied page.
/// <para>
/// A request or operation that opens a <see cref="Track"/> scope learns whether something below it already recorded its
/// refusal (the guard inside a use case, say), so the endpoint filter adds a row only for refusals nobody recorded.
/// </para>
/// </summary>
public static class Refusals
{
    public const string Action = "AccessDenied";

    private static readonly AsyncLocal<Tracker?> _current = new();

    /// <summary>Whether a refusal was recorded inside a <see cref="Track"/> scope.</summary>
    public sealed class Tracker : IDisposable
    {
        internal Tracker(Tracker? outer) => Outer = outer;
        internal Tracker? Outer { get; }
        public int Recorded { get; internal set; }
        public void Dispose() => _current.Value = Outer;
    }

    /// <summary>Starts counting the refusals recorded by this operation (the flow of awaits below the caller).</summary>
    public static Tracker Track() => _current.Value = new Tracker(_current.Value);

    public static async Task RefusedAsync(this IAuditLog audit, string action, string reason, int? unitId = null,
        string? entityType = null, string? entityId = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        for (var t = _current.Value; t is not null; t = t.Outer) t.Recorded++;
        await audit.WriteAsync(new AuditEvent(Action, entityType, entityId, unitId, Detail: $"{action}: {reason}", Success: false), ct);
    }
}
