using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// One unit's figures, as in a values file (spec §7). Keys: a single-input criterion's code
/// (<c>"2.1": true</c>, <c>"1.1": 2</c> = 1-based option, <c>"I.1": 72.5</c> = percent),
/// <c>CODE.letter</c> for a named input (<c>"6.2.c": 14</c>), <c>CODE.key</c> for a part.
/// Values: bool, int, long, double, decimal (no numeric strings); int[] / IEnumerable&lt;int&gt;
/// for lower-levels lists. <see cref="General"/> holds general-information items by printed
/// code (<c>"1.4": 9120</c>) or key (<c>population</c>).
/// <para><see cref="Points"/> holds points set by an appraiser for a criterion (code → points, 0 ≤ points ≤ max): the
/// criterion's computed points are replaced before the groups are summed, and the node is flagged Appraised. Levels are
/// never overridden this way: an appraiser corrects a level-based criterion through its inputs.</para>
/// </summary>
public sealed record UnitValues(
    string Unit,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, object?>? General = null,
    IReadOnlyDictionary<string, decimal>? Points = null);

/// <summary>The scores of every unit scored together (the cohort peer-relative criteria compare against).</summary>
public sealed class CohortResult
{
    internal CohortResult(CriteriaSet set, IReadOnlyList<UnitResult> units)
    {
        Set = set;
        Units = units;
    }

    public CriteriaSet Set { get; }
    public string SetId => Set.Id;
    public IReadOnlyList<UnitResult> Units { get; }

    public UnitResult Unit(string code) =>
        Units.FirstOrDefault(u => u.Unit == code) ?? throw new KeyNotFoundException($"Không có đơn vị '{code}' trong kết quả");
}

public sealed class UnitResult
{
    private readonly Dictionary<string, int> _index;

    internal UnitResult(string unit, NodeResult[] nodes, Dictionary<string, int> index)
    {
        Unit = unit;
        Nodes = nodes;
        _index = index;
    }

    public string Unit { get; }
    /// <summary>Sum of the top-level nodes' points.</summary>
    public decimal Total { get; internal set; }
    /// <summary>Recognised maturity level: null for a set without levels; 0 when level 1 is not reached.</summary>
    public int? Level { get; internal set; }
    /// <summary>Every node of the tree in document order, groups included.</summary>
    public IReadOnlyList<NodeResult> Nodes { get; }
    /// <summary>Addresses of missing inputs (<c>3.1.a</c>, <c>2.1</c>; general items as <c>general:1.4</c>).</summary>
    public IReadOnlyList<string> Missing { get; internal set; } = [];
    /// <summary>For each level above the reached one, the criteria blocking it (built on first access).</summary>
    public IReadOnlyList<LevelGap> NextLevels => _nextLevels ??= _gaps?.Invoke(this) ?? [];

    private IReadOnlyList<LevelGap>? _nextLevels;
    private Func<UnitResult, IReadOnlyList<LevelGap>>? _gaps;

    /// <summary>The set's validation rules this unit's figures break (spec §10), evaluated on first access.</summary>
    public IReadOnlyList<RuleViolation> RuleViolations => _violations ??= _rules?.Invoke() ?? [];

    private IReadOnlyList<RuleViolation>? _violations;
    private Func<IReadOnlyList<RuleViolation>>? _rules;

    internal void SetRules(Func<IReadOnlyList<RuleViolation>> rules) => _rules = rules;

    /// <summary>The gaps are Vietnamese sentences for a screen; computing them for 10,000 units nobody looks at is waste.</summary>
    internal void SetGaps(Func<UnitResult, IReadOnlyList<LevelGap>> gaps) => _gaps = gaps;

    public NodeResult Node(string code) =>
        _index.TryGetValue(code, out var i) ? (NodeResult)Nodes[i] : throw new KeyNotFoundException($"Không có tiêu chí '{code}' trong bộ chỉ số");
}

/// <summary>What a unit still lacks to reach <see cref="Level"/>.</summary>
public sealed record LevelGap(int Level, string Name, IReadOnlyList<LevelBlocker> Blockers);

/// <summary>
/// One criterion blocking a level: the requirement, the value required and the actual one
/// (fractions for percentages, counts otherwise), the shortfall in the set's own unit when it
/// can be computed (<c>12</c> hộ), and a Vietnamese sentence ("cần thêm 12 hộ").
/// </summary>
public sealed record LevelBlocker(
    string Code, string Name, string Requirement, decimal? Required, decimal? Actual, decimal? Shortfall, string? Unit, string Message);

[Flags]
public enum ScoreFlags
{
    None = 0,
    Missing = 1,
    DivisionByZero = 2,
    RatioAbove100 = 4,
    NegativeInput = 8,
    AboveMax = 16,
    ZeroDenominatorMax = 32,
    /// <summary>The points were set by an appraiser (<see cref="UnitValues.Points"/>), not computed.</summary>
    Appraised = 64,
}

/// <summary>
/// One node's result. The explanation and the inputs dictionary are built on first access:
/// a 10,000-unit cohort has half a million nodes and most are never displayed.
/// </summary>
public sealed class NodeResult
{
    private static readonly IReadOnlyList<string>[] _flagLists = BuildFlagLists();
    private readonly PlanNode _node;
    private string? _explanation;
    private IReadOnlyDictionary<string, decimal?>? _inputs;

    internal NodeResult(PlanNode node)
    {
        _node = node;
    }

    internal PlanNode PlanNode => _node;
    public CriterionNode Criterion => _node.Node;
    public string Code => _node.Node.Code;
    public string Name => _node.Node.Name;
    public decimal Max => _node.Node.Max;
    public decimal Points { get; internal set; }
    /// <summary>The computed ratio (fraction) or count the method compared; null when none.</summary>
    public decimal? Ratio { get; internal set; }
    public ScoreFlags FlagSet { get; internal set; }
    /// <summary>Flag names: Missing, DivisionByZero, RatioAbove100, NegativeInput, AboveMax, ZeroDenominatorMax.</summary>
    public IReadOnlyList<string> Flags => _flagLists[(int)FlagSet];
    /// <summary>Highest level whose requirements (at it and all below) this criterion meets; null without requirements.</summary>
    public int? LevelMet { get; internal set; }

    // Raw values as entered (null = missing) and the method's intermediate state, for explanations.
    internal decimal?[]? RawInputs { get; set; }

    // The state only some methods leave (a chosen option or tier, the peers' range, a level value or the lower levels'
    // list) lives apart and exists only when one of them is set: every unit of every round the score cache holds has a
    // result per node, and most nodes have none of it (issue 17: 60 bytes less per node).
    private sealed class Detail
    {
        public int Choice = -1;
        public decimal PeerLow;
        public decimal PeerHigh;
        public decimal? LevelValue;
        public int[]? LowerLevels;
    }

    private Detail? _detail;

    internal int Choice
    {
        get => _detail?.Choice ?? -1;
        set { if (value != -1 || _detail is not null) (_detail ??= new()).Choice = value; }
    }

    internal decimal PeerLow
    {
        get => _detail?.PeerLow ?? 0;
        set { if (value != 0 || _detail is not null) (_detail ??= new()).PeerLow = value; }
    }

    internal decimal PeerHigh
    {
        get => _detail?.PeerHigh ?? 0;
        set { if (value != 0 || _detail is not null) (_detail ??= new()).PeerHigh = value; }
    }

    internal decimal? LevelValue
    {
        get => _detail?.LevelValue;
        set { if (value is not null || _detail is not null) (_detail ??= new()).LevelValue = value; }
    }

    internal int[]? LowerLevels
    {
        get => _detail?.LowerLevels;
        set { if (value is not null || _detail is not null) (_detail ??= new()).LowerLevels = value; }
    }

    /// <summary>The inputs used, by key (<c>a</c>, <c>b</c>; the criterion's code for a single input).</summary>
    public IReadOnlyDictionary<string, decimal?> Inputs => _inputs ??= BuildInputs();

    /// <summary>One line of Vietnamese saying how the points were obtained.</summary>
    public string Explanation => _explanation ??= Explainer.Explain(this);

    public bool? MeetsLevel(int level) => LevelMet is { } met ? met >= level : null;

    public override string ToString() => $"{Code}: {Points}/{Max}";

    private IReadOnlyDictionary<string, decimal?> BuildInputs()
    {
        var result = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        if (RawInputs is null) return result;
        for (var i = 0; i < _node.Inputs.Length && i < RawInputs.Length; i++)
            result[_node.Inputs[i].Key] = RawInputs[i];
        return result;
    }

    private static IReadOnlyList<string>[] BuildFlagLists()
    {
        var names = Enum.GetValues<ScoreFlags>().Where(f => f != ScoreFlags.None).ToArray();
        var all = (int)names.Aggregate(ScoreFlags.None, (a, f) => a | f);
        var lists = new IReadOnlyList<string>[all + 1];
        for (var i = 0; i <= all; i++)
            lists[i] = names.Where(f => (i & (int)f) != 0).Select(f => f.ToString()).ToArray();
        return lists;
    }
}

/// <summary>Unknown value codes or ill-typed values; the message names each bad key, in Vietnamese.</summary>
public sealed class ScoringInputException(IReadOnlyList<string> errors)
    : Exception("Số liệu không hợp lệ:\n- " + string.Join("\n- ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
