using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Scoring;

/// <summary>An input as the engine reads it: where its value comes from and how to read it.</summary>
/// <para><see cref="WholeAddress"/>: for the parts of a printed letter held as L1 + L2… (seed 003 §4.4: b = công chức +
/// viên chức, held as b1 + b2, both from general information), the printed letter's address (<c>4.4.b</c>). A value given
/// there overrides the whole: the first part takes it and the others count 0.</para>
internal sealed record PlanInput(string Key, string Address, string Label, string? Unit, InputType Type, GeneralItem? General, bool IsList)
{
    public string? WholeAddress { get; init; }
    public bool FirstPart { get; init; }
}

/// <summary>
/// A value a unit can enter (spec §4, §7): its address in a values file (<c>3.1.a</c>, <c>2.1</c>),
/// the criterion, the label and type; <see cref="OptionCount"/> &gt; 0 for a choice (1-based),
/// <see cref="IsList"/> for a lower-levels list; <see cref="General"/> when it defaults to a
/// general-information item. What a data-entry form or a generator needs.
/// </summary>
public sealed record ValueAddress(
    string Address, string Code, string Key, string Label, string? Unit, InputType Type, int OptionCount, bool IsList, GeneralItem? General);

/// <summary>A value address a values file may use, for validation (spec §4, §7).</summary>
internal sealed record AddressInfo(int Node, int Input, InputType Type, int OptionCount, bool IsList);

/// <summary>A node flattened for the engine: children by index, inputs resolved, requirements by level.</summary>
internal sealed class PlanNode
{
    public required CriterionNode Node { get; init; }
    public required int Index { get; init; }
    public required int[] Children { get; init; }
    public required PlanInput[] Inputs { get; init; }
    public ScoringMethod? Method { get; init; }
    /// <summary>The method's ratio/count expression (or the level value's ratio when no method).</summary>
    public RatioExpression? Expr { get; init; }
    /// <summary>Position of the one input a method without expression reads; -1 when none.</summary>
    public int SingleInput { get; init; } = -1;
    /// <summary>A ratio method without <c>ratio:</c> reads a percent: 72.5 means 0.725.</summary>
    public bool PercentSingle { get; init; }
    /// <summary>Requirement per level (index = level); null entries and a null array mean none.</summary>
    public LevelRequirement?[]? Requirements { get; init; }
    public int ListInput { get; init; } = -1;
    /// <summary>Position of the method's <c>requires</c> input; -1 when none.</summary>
    public int GateInput { get; init; } = -1;
    public bool IsGroup => Children.Length > 0;
    public bool IsPeer => Method?.Kind == MethodKind.PeerRelative;
}

/// <summary>
/// The precompiled form of a <see cref="CriteriaSet"/>: built once when the set is loaded so
/// that scoring a unit walks arrays instead of the YAML-shaped model.
/// </summary>
internal sealed class ScoringPlan
{
    public ScoringPlan(CriteriaSet set)
    {
        var nodes = set.AllNodes;
        var index = new Dictionary<string, int>(nodes.Count, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++) index[nodes[i].Code] = i;
        CodeIndex = index;
        MaxLevel = set.Levels.Count == 0 ? 0 : set.Levels.Max(l => l.Level);
        LevelNames = new string[MaxLevel + 1];
        foreach (var l in set.Levels) LevelNames[l.Level] = l.Name;

        var generalByCode = new Dictionary<string, GeneralItem>(StringComparer.Ordinal);
        foreach (var g in set.General)
        {
            generalByCode[g.Code] = g;
            generalByCode.TryAdd(g.Key, g);
        }
        General = generalByCode;

        Nodes = new PlanNode[nodes.Count];
        var addresses = new Dictionary<string, AddressInfo>(StringComparer.Ordinal);
        var valueAddresses = new List<ValueAddress>();
        var topLevel = new List<int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var plan = Build(node, i, index, set.General, MaxLevel);
            Nodes[i] = plan;
            for (var k = 0; k < plan.Inputs.Length; k++)
            {
                var input = plan.Inputs[k];
                var options = plan.Method?.Kind == MethodKind.Choice && k == plan.SingleInput ? plan.Method.Options.Count : 0;
                addresses[input.Address] = new AddressInfo(i, k, input.Type, options, input.IsList);
                valueAddresses.Add(new ValueAddress(input.Address, node.Code, input.Key, input.Label, input.Unit, input.Type, options, input.IsList, input.General));
                // The printed letter of split parts is accepted too (not listed: forms ask for the parts).
                if (input is { WholeAddress: { } whole, FirstPart: true }) addresses.TryAdd(whole, new AddressInfo(i, k, input.Type, 0, false));
            }
        }
        foreach (var top in set.Tree) topLevel.Add(index[top.Code]);
        TopLevel = [.. topLevel];
        Addresses = addresses;
        ValueAddresses = valueAddresses;
        PeerNodes = Nodes.Where(n => n.IsPeer).Select(n => n.Index).ToArray();
        LevelNodes = Nodes.Where(n => n.Requirements is not null).Select(n => n.Index).ToArray();
    }

    public PlanNode[] Nodes { get; }
    public int[] TopLevel { get; }
    public int[] PeerNodes { get; }
    public int[] LevelNodes { get; }
    public int MaxLevel { get; }
    public string[] LevelNames { get; }
    public Dictionary<string, int> CodeIndex { get; }
    public Dictionary<string, AddressInfo> Addresses { get; }
    public IReadOnlyList<ValueAddress> ValueAddresses { get; }
    public Dictionary<string, GeneralItem> General { get; }

    /// <summary>
    /// Inputs b1, b2… (two or more, all taken from general information) whose printed letter b is not itself declared are
    /// the parts of b: "CODE.b" is accepted as an override of their sum.
    /// </summary>
    private static void MarkSplitParts(CriterionNode node, List<PlanInput> inputs)
    {
        var groups = inputs
            .Select((input, k) => (input, k))
            .Where(x => x.input.Key.Length >= 2 && char.IsAsciiLetter(x.input.Key[0]) && x.input.Key[1..].All(char.IsAsciiDigit))
            .GroupBy(x => x.input.Key[..1], StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var parts = g.ToList();
            if (parts.Count < 2 || parts.Any(x => x.input.General is null) || inputs.Any(x => x.Key == g.Key)) continue;
            var whole = $"{node.Code}.{g.Key}";
            for (var j = 0; j < parts.Count; j++)
                inputs[parts[j].k] = parts[j].input with { WholeAddress = whole, FirstPart = j == 0 };
        }
    }

    private static PlanNode Build(CriterionNode node, int i, Dictionary<string, int> index, IReadOnlyList<GeneralItem> general, int maxLevel)
    {
        var children = node.Children.Select(c => index[c.Code]).ToArray();
        if (node.IsGroup)
            return new PlanNode { Node = node, Index = i, Children = children, Inputs = [] };

        GeneralItem? FindGeneral(string? key) => key is null ? null : general.FirstOrDefault(g => g.Key == key);

        var inputs = node.Inputs
            .Select(inp => new PlanInput(inp.Key, $"{node.Code}.{inp.Key}", inp.Label, inp.Unit, inp.Type, FindGeneral(inp.General), false))
            .ToList();
        MarkSplitParts(node, inputs);
        var method = node.Method;
        if (method?.Kind == MethodKind.Parts)
        {
            foreach (var part in method.Parts.Where(p => inputs.All(x => x.Key != p.Key)))
                inputs.Add(new PlanInput(part.Key, $"{node.Code}.{part.Key}", part.Label, null, InputType.Boolean, null, false));
        }

        var expr = method?.Ratio ?? method?.Count;
        if (method is null && node.Value?.Kind == LevelValueKind.Ratio) expr = node.Value.Ratio;
        var single = -1;
        var percent = false;
        var listInput = -1;
        var needsSingle = method is not null && method.Kind != MethodKind.Parts && expr is null;
        if (node.Value?.Kind == LevelValueKind.LowerLevels)
        {
            inputs.Add(new PlanInput(node.Code, node.Code, node.Name, "mức", InputType.Integer, null, true));
            listInput = inputs.Count - 1;
        }
        else if (needsSingle || (method is null && node.Value is null or { Kind: LevelValueKind.Single }))
        {
            if (inputs.Count == 0)
            {
                var type = ImplicitType(node);
                inputs.Add(new PlanInput(node.Code, node.Code, node.Name, null, type, null, false));
            }
            // The value read is the one input that is not the method's condition (requires).
            single = method?.Requires is { } gateKey ? Math.Max(0, inputs.FindIndex(x => x.Key != gateKey)) : 0;
            percent = inputs[single].Type == InputType.Percent;
        }
        else if (method is null && node.Value is { Input: { } key })
        {
            single = inputs.FindIndex(x => x.Key == key);
            percent = single >= 0 && inputs[single].Type == InputType.Percent;
        }

        LevelRequirement?[]? requirements = null;
        if (node.LevelRequirements.Count > 0 && maxLevel > 0)
        {
            requirements = new LevelRequirement?[maxLevel + 1];
            foreach (var (level, req) in node.LevelRequirements)
            {
                if (level >= 1 && level <= maxLevel && req is not LevelRequirement.NotApplicable) requirements[level] = req;
            }
        }

        return new PlanNode
        {
            Node = node,
            Index = i,
            Children = children,
            Inputs = [.. inputs],
            Method = method,
            Expr = expr,
            SingleInput = single,
            PercentSingle = percent,
            Requirements = requirements,
            ListInput = listInput,
            GateInput = method?.Requires is { } gate ? inputs.FindIndex(x => x.Key == gate) : -1,
        };
    }

    internal static bool IsRatioMethod(MethodKind? kind) => kind is MethodKind.Ratio or MethodKind.RatioTarget
        or MethodKind.RatioTargetPlain or MethodKind.Band or MethodKind.RatioSteps;

    /// <summary>The type of a single-input criterion's value follows its method (spec §4).</summary>
    internal static InputType ImplicitType(CriterionNode node)
    {
        if (node.Method is { } m)
        {
            return m.Kind switch
            {
                MethodKind.YesNo => InputType.Boolean,
                MethodKind.Choice or MethodKind.CountTiers or MethodKind.CappedCount => InputType.Integer,
                MethodKind.PeerRelative or MethodKind.Direct => InputType.Number,
                _ => InputType.Percent,
            };
        }
        // Levels-only: the requirements say what the value is.
        foreach (var req in node.LevelRequirements.Values)
        {
            switch (req)
            {
                case LevelRequirement.Present: return InputType.Boolean;
                case LevelRequirement.MinCount: return InputType.Integer;
                case LevelRequirement.Min: return InputType.Percent;
            }
        }
        return InputType.Percent;
    }
}
