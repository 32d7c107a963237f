using System.Collections.Concurrent;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Criteria;

/// <summary>
/// Parsed sets keyed by the SHA-256 of their YAML. A stored version never changes, so its parse never goes
/// stale: one parse per process, shared by every circuit (a singleton).
/// </summary>
public sealed class CriteriaSetCache
{
    private readonly ConcurrentDictionary<string, Lazy<CriteriaSet>> _sets = new(StringComparer.Ordinal);

    public CriteriaSet GetOrParse(string sha256, string yaml) =>
        _sets.GetOrAdd(sha256, _ => new Lazy<CriteriaSet>(() => Parse(yaml))).Value;

    internal void Add(string sha256, CriteriaSet set) => _sets.TryAdd(sha256, new Lazy<CriteriaSet>(set));

    private static CriteriaSet Parse(string yaml)
    {
        var result = CriteriaSetLoader.Parse(yaml);
        // Stored text passed the same loader when it was stored; failing now means the loader's rules changed.
        return result.Set ?? throw new DomainException(
            "Bộ chỉ số đã lưu không còn đọc được với phiên bản phần mềm này:\n" + string.Join("\n", result.Errors));
    }
}
