namespace DtiPortal.Domain.Criteria;

/// <summary>What a field of a criterion was and became.</summary>
public sealed record CriterionChange(string Code, string Name, IReadOnlyList<string> Fields, CriterionNode Previous, CriterionNode Next)
{
    public override string ToString() => $"{Code}: {string.Join(", ", Fields)}";
}

/// <summary>The differences between two versions of a set, shown when an admin loads a new version.</summary>
public sealed record CriteriaSetDiff(
    IReadOnlyList<CriterionNode> Added,
    IReadOnlyList<CriterionNode> Removed,
    IReadOnlyList<CriterionChange> Changed)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    /// <summary>
    /// Nodes are matched by code. Changed = name, max, method or method parameters differ; the
    /// fields are named in English keys as in the file ("name", "max", "method", "parameters").
    /// </summary>
    public static CriteriaSetDiff Compare(CriteriaSet previous, CriteriaSet next)
    {
        var before = previous.AllNodes.ToDictionary(n => n.Code, StringComparer.Ordinal);
        var after = next.AllNodes.ToDictionary(n => n.Code, StringComparer.Ordinal);
        var added = next.AllNodes.Where(n => !before.ContainsKey(n.Code)).ToList();
        var removed = previous.AllNodes.Where(n => !after.ContainsKey(n.Code)).ToList();
        var changed = new List<CriterionChange>();
        foreach (var node in next.AllNodes)
        {
            if (!before.TryGetValue(node.Code, out var old)) continue;
            var fields = new List<string>();
            if (old.Name != node.Name) fields.Add("name");
            if (old.Max != node.Max) fields.Add("max");
            if (old.Method?.Kind != node.Method?.Kind) fields.Add("method");
            else if (old.Method?.Signature != node.Method?.Signature) fields.Add("parameters");
            if (fields.Count > 0) changed.Add(new CriterionChange(node.Code, node.Name, fields, old, node));
        }
        return new CriteriaSetDiff(added, removed, changed);
    }
}
