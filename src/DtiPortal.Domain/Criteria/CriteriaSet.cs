using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// One published version of a criteria set (bộ chỉ số), as read from a <c>dti-criteria/1</c>
/// YAML file. Immutable: a new decision is a new version, so past scores stay reproducible.
/// Built only by <see cref="CriteriaSetLoader"/>, which also precompiles the scoring plan.
/// </summary>
public sealed class CriteriaSet
{
    private readonly Dictionary<string, CriterionNode> _byCode;

    internal CriteriaSet(
        string id, int version, string name, string level, int? year, CriteriaDecision decision,
        string? source, decimal? maxPoints, IReadOnlyList<MaturityLevel> levels,
        IReadOnlyList<GeneralItem> general, IReadOnlyList<CriterionNode> tree)
    {
        Id = id;
        Version = version;
        Name = name;
        Level = level;
        Year = year;
        Decision = decision;
        Source = source;
        MaxPoints = maxPoints;
        Levels = levels;
        General = general;
        Tree = tree;

        var all = new List<CriterionNode>();
        foreach (var node in tree) Collect(node, all);
        AllNodes = all;
        _byCode = all.ToDictionary(n => n.Code, StringComparer.Ordinal);
        Plan = new ScoringPlan(this);
    }

    public string Format => "dti-criteria/1";
    public string Id { get; }
    public int Version { get; }
    public string Name { get; }
    /// <summary>The unit level it assesses: commune | district | province.</summary>
    public string Level { get; }
    public int? Year { get; }
    public CriteriaDecision Decision { get; }
    public string? Source { get; }
    /// <summary>Total of the point tree; null for a levels-only set.</summary>
    public decimal? MaxPoints { get; }
    /// <summary>Maturity levels it recognises (empty for a points-only set).</summary>
    public IReadOnlyList<MaturityLevel> Levels { get; }
    public IReadOnlyList<GeneralItem> General { get; }
    public IReadOnlyList<CriterionNode> Tree { get; }
    /// <summary>Every node, groups included, in document order (pre-order).</summary>
    public IReadOnlyList<CriterionNode> AllNodes { get; }

    /// <summary>Precompiled form used by the scoring engine; built once at load.</summary>
    internal ScoringPlan Plan { get; }

    /// <summary>Every value a unit can enter, in document order (for forms, generators and validation messages).</summary>
    public IReadOnlyList<ValueAddress> ValueAddresses => Plan.ValueAddresses;

    public CriterionNode? Find(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>
    /// Validation rules (spec §10): comparisons across inputs and general information, each an error (refused at the
    /// field) or a warning (explained by the unit before it submits). Set by the loader once the addresses are known.
    /// </summary>
    public IReadOnlyList<ValidationRule> ValidationRules { get; internal set; } = [];

    private static void Collect(CriterionNode node, List<CriterionNode> into)
    {
        into.Add(node);
        foreach (var child in node.Children) Collect(child, into);
    }
}

public sealed record CriteriaDecision(
    string Number, DateOnly? Date, string Issuer, DateOnly? EffectiveFrom = null, DateOnly? EffectiveTo = null);

public sealed record MaturityLevel(int Level, string Name);

public enum InputType { Integer, Number, Money, Percent, Boolean, Text, Date }

/// <summary>A general-information item (Thông tin chung): entered once, reused as a denominator.</summary>
public sealed record GeneralItem(string Code, string Key, string Label, string? Unit, InputType Type);

public enum NodeKind { Pillar, Index, Component, Criterion }

/// <summary>A named input of a criterion (the letters the set prints: a, b, c…).</summary>
public sealed record CriterionInput(string Key, string Label, string? Unit, InputType Type, string? General);

public sealed class CriterionNode
{
    internal CriterionNode(
        string code, NodeKind kind, string name, decimal max, IReadOnlyList<CriterionNode> children,
        ScoringMethod? method, IReadOnlyList<CriterionInput> inputs, CriterionDetails details,
        LevelValue? value, IReadOnlyDictionary<int, LevelRequirement> levelRequirements, LevelAggregate? aggregate)
    {
        Code = code;
        Kind = kind;
        Name = name;
        Max = max;
        Children = children;
        Method = method;
        Inputs = inputs;
        Details = details;
        Value = value;
        LevelRequirements = levelRequirements;
        Aggregate = aggregate;
    }

    public string Code { get; }
    public NodeKind Kind { get; }
    public string Name { get; }
    public decimal Max { get; }
    public IReadOnlyList<CriterionNode> Children { get; }
    public bool IsGroup => Children.Count > 0;
    /// <summary>Null for groups and for levels-only criteria.</summary>
    public ScoringMethod? Method { get; }
    /// <summary>Declared inputs; empty for a single-input criterion addressed by its own code.</summary>
    public IReadOnlyList<CriterionInput> Inputs { get; }
    public CriterionDetails Details { get; }
    /// <summary>The value the maturity-level requirements read (2361); null when none.</summary>
    public LevelValue? Value { get; }
    /// <summary>Requirement per level; a level absent from the map is treated as not applicable.</summary>
    public IReadOnlyDictionary<int, LevelRequirement> LevelRequirements { get; }
    public LevelAggregate? Aggregate { get; }
}

/// <summary>
/// The descriptive columns of a criterion: evidence, data source, units, period, basis. <c>Formula</c> is the "Cách tính"
/// column as the decision prints it (null: the plain-Vietnamese description of the method stands in for it).
/// </summary>
public sealed record CriterionDetails(
    IReadOnlyList<string> Evidence,
    bool EvidenceRequired,
    string? DataSource,
    string? Lead,
    IReadOnlyList<string> Coordinating,
    IReadOnlyList<string> Period,
    string? LegalBasis,
    string? Note,
    string? Formula = null)
{
    public static readonly CriterionDetails Empty = new([], false, null, null, [], ["year"], null, null);
}

public enum MethodKind
{
    YesNo, Choice, Ratio, RatioTarget, RatioTargetPlain, Band, RatioSteps, CountTiers, Parts, CappedCount, PeerRelative, Direct,
}

public enum PeerMode { MinMax, Best }

public enum ZeroDenominatorRule { Zero, Max }

/// <summary>An outcome worth a fraction of max or absolute points (never both).</summary>
public sealed record ChoiceOption(string Label, decimal? Fraction, decimal? Points);

/// <summary>A step (ratio-steps, min as a fraction: 10% = 0.1) or a tier (count-tiers, min a count).</summary>
public sealed record Threshold(decimal Min, decimal? Fraction, decimal? Points);

public sealed record Part(string Key, string Label, decimal? Fraction, decimal? Points);

/// <summary>A scoring method with its parameters, exactly as the set prints it (spec §5).</summary>
public sealed class ScoringMethod
{
    internal ScoringMethod(
        MethodKind kind, RatioExpression? ratio, RatioExpression? count, decimal? target, decimal? lower,
        IReadOnlyList<Threshold> thresholds, IReadOnlyList<ChoiceOption> options, IReadOnlyList<Part> parts,
        decimal? pointsEach, PeerMode mode, ZeroDenominatorRule zeroDenominator, string? requires = null)
    {
        Requires = requires;
        Kind = kind;
        Ratio = ratio;
        Count = count;
        Target = target;
        Lower = lower;
        Thresholds = thresholds;
        Options = options;
        Parts = parts;
        PointsEach = pointsEach;
        Mode = mode;
        ZeroDenominator = zeroDenominator;
        Signature = BuildSignature();
    }

    public MethodKind Kind { get; }
    public string Name => NameOf(Kind);
    public RatioExpression? Ratio { get; }
    public RatioExpression? Count { get; }
    /// <summary>Target as a fraction (80% = 0.8).</summary>
    public decimal? Target { get; }
    /// <summary>Band lower bound as a fraction.</summary>
    public decimal? Lower { get; }
    /// <summary>Steps (ratio-steps) or tiers (count-tiers), highest min first.</summary>
    public IReadOnlyList<Threshold> Thresholds { get; }
    public IReadOnlyList<ChoiceOption> Options { get; }
    public IReadOnlyList<Part> Parts { get; }
    public decimal? PointsEach { get; }
    public PeerMode Mode { get; }
    public ZeroDenominatorRule ZeroDenominator { get; }
    /// <summary>
    /// A boolean input the criterion depends on (<c>requires: a</c>): when it is "no" the criterion earns 0 whatever the
    /// other figures (seed 001 §1.4: "Chưa có chuyên mục: 0 điểm", while a section with no post yet earns ¼).
    /// </summary>
    public string? Requires { get; }
    /// <summary>Canonical text of the method and its parameters; two methods are equal when their signatures are.</summary>
    public string Signature { get; }

    public static string NameOf(MethodKind kind) => kind switch
    {
        MethodKind.YesNo => "yesno",
        MethodKind.Choice => "choice",
        MethodKind.Ratio => "ratio",
        MethodKind.RatioTarget => "ratio-target",
        MethodKind.RatioTargetPlain => "ratio-target-plain",
        MethodKind.Band => "band",
        MethodKind.RatioSteps => "ratio-steps",
        MethodKind.CountTiers => "count-tiers",
        MethodKind.Parts => "parts",
        MethodKind.CappedCount => "capped-count",
        MethodKind.PeerRelative => "peer-relative",
        _ => "direct",
    };

    internal static bool TryParse(string name, out MethodKind kind)
    {
        foreach (var k in Enum.GetValues<MethodKind>())
        {
            if (NameOf(k) == name) { kind = k; return true; }
        }
        kind = default;
        return false;
    }

    private string BuildSignature()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        static string Share(decimal? f, decimal? p) => f is { } x ? $"f{x.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : $"p{p?.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var sb = new System.Text.StringBuilder(Name);
        if (Ratio is not null) sb.Append(";ratio=").Append(Ratio.Canonical);
        if (Count is not null) sb.Append(";count=").Append(Count.Canonical);
        if (Target is { } t) sb.Append(";target=").Append(t.ToString(inv));
        if (Lower is { } l) sb.Append(";lower=").Append(l.ToString(inv));
        foreach (var th in Thresholds) sb.Append(";min").Append(th.Min.ToString(inv)).Append('=').Append(Share(th.Fraction, th.Points));
        foreach (var o in Options) sb.Append(";opt[").Append(o.Label).Append("]=").Append(Share(o.Fraction, o.Points));
        foreach (var p in Parts) sb.Append(";part[").Append(p.Key).Append("]=").Append(Share(p.Fraction, p.Points));
        if (PointsEach is { } pe) sb.Append(";each=").Append(pe.ToString(inv));
        if (Kind == MethodKind.PeerRelative) sb.Append(";mode=").Append(Mode);
        if (ZeroDenominator == ZeroDenominatorRule.Max) sb.Append(";zero=max");
        if (Requires is { } req) sb.Append(";requires=").Append(req);
        return sb.ToString();
    }

    public override string ToString() => Signature;
}

public enum LevelValueKind { Single, Ratio, Present, Count, LowerLevels }

/// <summary>What a criterion's level requirements read (spec §6 <c>value:</c>).</summary>
public sealed record LevelValue(LevelValueKind Kind, RatioExpression? Ratio = null, string? Input = null);

/// <summary>The lower-levels rule of DOMAIN.md §4b, as fractions (100% = 1).</summary>
public sealed record LevelAggregate(decimal AllAtLeastPrevious, decimal AtLeast);

/// <summary>A per-level requirement (spec §6). <c>Of</c> names the input read instead of the value.</summary>
public abstract record LevelRequirement
{
    public sealed record NotApplicable : LevelRequirement;
    public sealed record Present(string? Of = null) : LevelRequirement;
    /// <summary>Minimum share, as a fraction (70% = 0.7).</summary>
    public sealed record Min(decimal Value, string? Of = null) : LevelRequirement;
    public sealed record MinCount(decimal Value, string? Of = null) : LevelRequirement;
    public sealed record Any(IReadOnlyList<LevelRequirement> Items) : LevelRequirement;
    public sealed record All(IReadOnlyList<LevelRequirement> Items) : LevelRequirement;
    /// <summary>Set by the loader for a criterion with <c>aggregate:</c>; evaluated against the lower units' levels.</summary>
    public sealed record Aggregate(LevelAggregate Rule) : LevelRequirement;

    public static readonly LevelRequirement Na = new NotApplicable();
}
