using System.Collections.Concurrent;
using System.Reflection;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// The criteria sets shipped inside the Domain assembly (Criteria/Libraries/*.yaml, embedded as
/// <c>DtiPortal.Criteria.&lt;id&gt;.yaml</c>). Each is parsed once and cached: sets are immutable.
/// </summary>
public static class BuiltInLibraries
{
    private const string Prefix = "DtiPortal.Criteria.";
    private const string Suffix = ".yaml";
    private static readonly Assembly _assembly = typeof(BuiltInLibraries).Assembly;
    private static readonly ConcurrentDictionary<string, Lazy<CriteriaLoadResult>> _cache = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> Ids { get; } = _assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(Suffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^Suffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The set with this id; throws <see cref="DomainException"/> (with every load error) when it is absent or invalid.</summary>
    public static CriteriaSet Load(string id)
    {
        var result = TryLoad(id);
        if (result.Set is { } set) return set;
        throw new DomainException($"Bộ chỉ số '{id}' không tải được:\n" + string.Join("\n", result.Errors));
    }

    /// <summary>The load result (set or errors) for a built-in id.</summary>
    public static CriteriaLoadResult TryLoad(string id) =>
        _cache.GetOrAdd(id, key => new Lazy<CriteriaLoadResult>(() => Read(key))).Value;

    /// <summary>The YAML text of a built-in set, for display and export.</summary>
    public static string? ReadText(string id)
    {
        using var stream = _assembly.GetManifestResourceStream(Prefix + id + Suffix);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static CriteriaLoadResult Read(string id)
    {
        var text = ReadText(id);
        if (text is null)
            return new CriteriaLoadResult(null, [new CriteriaLoadError("", $"Không có bộ chỉ số dựng sẵn '{id}'")]);
        var result = CriteriaSetLoader.Parse(text);
        if (result.Set is { } set && set.Id != id)
            return new CriteriaLoadResult(null, [new CriteriaLoadError("id", $"Tệp '{id}.yaml' khai báo id '{set.Id}'; tên tệp phải trùng id")]);
        return result;
    }
}
