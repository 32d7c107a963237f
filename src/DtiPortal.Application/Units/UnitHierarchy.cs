using System.Collections.Concurrent;
using Npgsql;

namespace DtiPortal.Application.Units;

/// <summary>
/// The whole unit tree in memory (ids and parents only: ~12,000 rows at most), to answer "which units are below
/// this one" without a query per request. Loaded on first use and again after <see cref="Invalidate"/>, which the
/// unit import calls. Units are reference data (not unit-owned), so reading them needs no scope.
/// </summary>
public sealed class UnitHierarchy(string connectionString)
{
    private readonly object _gate = new();
    private volatile Dictionary<int, int[]>? _children;
    private readonly ConcurrentDictionary<int, IReadOnlySet<int>> _subtrees = new();
    private volatile Dictionary<int, int>? _parents;

    /// <summary>The unit and every unit below it (merged/closed units included: their history stays visible).</summary>
    public IReadOnlySet<int> Subtree(int unitId) => _subtrees.GetOrAdd(unitId, id =>
    {
        var children = Children();
        var result = new HashSet<int> { id };
        var stack = new Stack<int>();
        stack.Push(id);
        while (stack.Count > 0)
        {
            if (!children.TryGetValue(stack.Pop(), out var kids)) continue;
            foreach (var k in kids)
                if (result.Add(k)) stack.Push(k);
        }
        return result;
    });

    /// <summary>The units directly below this one.</summary>
    public IReadOnlyList<int> ChildrenOf(int unitId) => Children().TryGetValue(unitId, out var kids) ? kids : [];

    /// <summary>The unit's parent, or null at the root.</summary>
    public int? ParentOf(int unitId)
    {
        var parents = _parents;
        if (parents is null)
        {
            parents = Children().SelectMany(kv => kv.Value.Select(k => (Child: k, Parent: kv.Key))).ToDictionary(x => x.Child, x => x.Parent);
            _parents = parents;
        }
        return parents.TryGetValue(unitId, out var p) ? p : null;
    }

    /// <summary>The unit's ancestors, nearest first (not the unit itself).</summary>
    public IReadOnlyList<int> AncestorsOf(int unitId)
    {
        var result = new List<int>();
        for (var p = ParentOf(unitId); p is { } id && !result.Contains(id); p = ParentOf(id)) result.Add(id);
        return result;
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _children = null;
            _parents = null;
            _subtrees.Clear();
        }
    }

    private Dictionary<int, int[]> Children()
    {
        var loaded = _children;
        if (loaded is not null) return loaded;
        lock (_gate)
        {
            if (_children is not null) return _children;
            var pairs = new List<(int Id, int Parent)>();
            // Synchronous ADO.NET on purpose: called from a property getter, once per (re)load.
            using var conn = new NpgsqlConnection(connectionString);
            conn.Open();
            using var cmd = new NpgsqlCommand("select id, parent_id from units where parent_id is not null", conn);
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) pairs.Add((reader.GetInt32(0), reader.GetInt32(1)));
            _children = pairs.GroupBy(p => p.Parent).ToDictionary(g => g.Key, g => g.Select(p => p.Id).ToArray());
            return _children;
        }
    }
}
