using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// Maturity levels (Decision 2361/QĐ-BTTTT, spec §6): a unit reaches level L when it meets every
/// requirement applicable at L and below; and what it still lacks for each higher level.
/// </summary>
internal static class LevelRules
{
    public static decimal? Normalized(PlanInput input, decimal? raw) =>
        raw is { } v && input.Type == InputType.Percent ? v / 100m : raw;

    /// <summary>The highest level whose requirements, at it and at every level below, the criterion meets.</summary>
    public static int HighestMet(PlanNode p, NodeResult r)
    {
        var met = 0;
        var requirements = p.Requirements!;
        for (var level = 1; level < requirements.Length; level++)
        {
            if (requirements[level] is { } req && !Meets(req, level, p, r)) break;
            met = level;
        }
        return met;
    }

    public static bool Meets(LevelRequirement req, int level, PlanNode p, NodeResult r) => req switch
    {
        LevelRequirement.Present x => Operand(x.Of, p, r) is { } v && v != 0,
        LevelRequirement.Min x => Operand(x.Of, p, r) is { } v && v >= x.Value,
        LevelRequirement.MinCount x => Operand(x.Of, p, r) is { } v && v >= x.Value,
        LevelRequirement.Any x => MeetsAny(x.Items, level, p, r),
        LevelRequirement.All x => MeetsAll(x.Items, level, p, r),
        LevelRequirement.Aggregate x => AggregateShortfall(x.Rule, level, r.LowerLevels) is (0, 0),
        _ => true,
    };

    // Loops rather than LINQ: these run for every level of every criterion of every unit.
    private static bool MeetsAny(IReadOnlyList<LevelRequirement> items, int level, PlanNode p, NodeResult r)
    {
        for (var i = 0; i < items.Count; i++)
            if (Meets(items[i], level, p, r)) return true;
        return false;
    }

    private static bool MeetsAll(IReadOnlyList<LevelRequirement> items, int level, PlanNode p, NodeResult r)
    {
        for (var i = 0; i < items.Count; i++)
            if (!Meets(items[i], level, p, r)) return false;
        return true;
    }

    public static int IndexOf(PlanInput[] inputs, string? key)
    {
        for (var i = 0; i < inputs.Length; i++)
            if (inputs[i].Key == key) return i;
        return -1;
    }

    private static decimal? Operand(string? of, PlanNode p, NodeResult r)
    {
        if (of is null) return r.LevelValue;
        var index = IndexOf(p.Inputs, of);
        return index < 0 || r.RawInputs is null ? null : Normalized(p.Inputs[index], r.RawInputs[index]);
    }

    /// <summary>
    /// DOMAIN.md §4b: level 1 = all lower units at ≥ 1; level L &gt; 1 = all at ≥ L−1 and at least half at ≥ L.
    /// Returns how many more lower units must reach L−1 and L; (-1, -1) when the list is missing.
    /// </summary>
    private static (int Previous, int AtLevel) AggregateShortfall(LevelAggregate rule, int level, int[]? levels)
    {
        if (levels is null || levels.Length == 0) return (-1, -1);
        var n = levels.Length;
        var previousLevel = level == 1 ? 1 : level - 1;
        int atPrevious = 0, atLevel = 0;
        foreach (var l in levels)
        {
            if (l >= previousLevel) atPrevious++;
            if (l >= level) atLevel++;
        }
        var needPrevious = (int)Math.Ceiling(rule.AllAtLeastPrevious * n);
        var needLevel = level == 1 ? 0 : (int)Math.Ceiling(rule.AtLeast * n);
        return (Math.Max(0, needPrevious - atPrevious), Math.Max(0, needLevel - atLevel));
    }

    public static IReadOnlyList<LevelGap> Gaps(ScoringPlan plan, UnitResult unit, int reached)
    {
        var gaps = new List<LevelGap>();
        for (var level = reached + 1; level <= plan.MaxLevel; level++)
        {
            var blockers = new List<LevelBlocker>();
            foreach (var index in plan.LevelNodes)
            {
                var p = plan.Nodes[index];
                var r = (NodeResult)unit.Nodes[index];
                if (p.Requirements![level] is not { } req || Meets(req, level, p, r)) continue;
                blockers.Add(Describe(req, level, p, r));
            }
            gaps.Add(new LevelGap(level, plan.LevelNames[level], blockers));
        }
        return gaps;
    }

    private static LevelBlocker Describe(LevelRequirement req, int level, PlanNode p, NodeResult r)
    {
        var (text, required, actual, shortfall, unit, message) = Explain(req, level, p, r);
        return new LevelBlocker(p.Node.Code, p.Node.Name, text, required, actual, shortfall, unit, message);
    }

    private static (string Text, decimal? Required, decimal? Actual, decimal? Shortfall, string? Unit, string Message) Explain(
        LevelRequirement req, int level, PlanNode p, NodeResult r)
    {
        const string noData = "chưa có số liệu";
        switch (req)
        {
            case LevelRequirement.Present x:
            {
                var v = Operand(x.Of, p, r);
                return ("Có", 1, v, null, null, v is null ? noData : "cần có (hiện: chưa có)");
            }
            case LevelRequirement.Min x:
            {
                var v = Operand(x.Of, p, r);
                var text = "≥ " + VnFormat.Percent(x.Value);
                if (v is null) return (text, x.Value, null, null, null, noData);
                // For a plain a/b the shortfall can be said in a's unit: "cần thêm 12 hộ".
                var expr = p.Node.Value?.Ratio ?? p.Expr;
                if (x.Of is null && expr is not null && expr.TryGetQuotient(out var num, out var den)
                    && r.RawInputs?[num] is { } a && r.RawInputs[den] is { } b && b > 0)
                {
                    var needed = Math.Max(1, Math.Ceiling(x.Value * b - a));
                    var unit = p.Inputs[num].Unit;
                    return (text, x.Value, v, needed, unit,
                        $"cần thêm {VnFormat.Number(needed)}{(unit is null ? "" : " " + unit)} (hiện {VnFormat.Percent(v.Value)}, cần ≥ {VnFormat.Percent(x.Value)})");
                }
                return (text, x.Value, v, x.Value - v, "%", $"cần đạt ≥ {VnFormat.Percent(x.Value)} (hiện {VnFormat.Percent(v.Value)})");
            }
            case LevelRequirement.MinCount x:
            {
                var v = Operand(x.Of, p, r);
                var text = "Tối thiểu " + VnFormat.Number(x.Value);
                if (v is null) return (text, x.Value, null, null, null, noData);
                var input = x.Of is null ? (p.SingleInput >= 0 ? p.Inputs[p.SingleInput] : null) : p.Inputs.FirstOrDefault(i => i.Key == x.Of);
                var unit = input?.Unit;
                var shortfall = x.Value - v.Value;
                return (text, x.Value, v, shortfall, unit, $"cần thêm {VnFormat.Number(shortfall)}{(unit is null ? "" : " " + unit)}");
            }
            case LevelRequirement.Any x:
            {
                var parts = x.Items.Select(i => Explain(i, level, p, r)).ToList();
                var first = parts.FirstOrDefault();
                return (string.Join(" hoặc ", parts.Select(i => i.Text)), first.Required, first.Actual, first.Shortfall, first.Unit,
                    "cần một trong: " + string.Join("; hoặc ", parts.Select(i => i.Message)));
            }
            case LevelRequirement.All x:
            {
                var unmet = x.Items.Where(i => !Meets(i, level, p, r)).Select(i => Explain(i, level, p, r)).ToList();
                var first = unmet.FirstOrDefault();
                return (string.Join(" và ", x.Items.Select(i => Explain(i, level, p, r).Text)), first.Required, first.Actual, first.Shortfall, first.Unit,
                    string.Join("; ", unmet.Select(i => i.Message)));
            }
            case LevelRequirement.Aggregate x:
            {
                var previous = level == 1 ? 1 : level - 1;
                var text = level == 1
                    ? $"{VnFormat.Percent(x.Rule.AllAtLeastPrevious)} đơn vị cấp dưới đạt mức ≥ 1"
                    : $"{VnFormat.Percent(x.Rule.AllAtLeastPrevious)} đơn vị cấp dưới đạt mức ≥ {previous} và ≥ {VnFormat.Percent(x.Rule.AtLeast)} đạt mức ≥ {level}";
                var (needPrevious, needLevel) = AggregateShortfall(x.Rule, level, r.LowerLevels);
                if (needPrevious < 0) return (text, null, null, null, null, noData);
                var messages = new List<string>();
                if (needPrevious > 0) messages.Add($"cần thêm {needPrevious} đơn vị cấp dưới đạt mức ≥ {previous}");
                if (needLevel > 0) messages.Add($"cần thêm {needLevel} đơn vị cấp dưới đạt mức ≥ {level}");
                var shortfall = Math.Max(needPrevious, needLevel);
                return (text, null, null, shortfall, "đơn vị", string.Join("; ", messages));
            }
            default:
                return ("Không áp dụng", null, null, null, null, "");
        }
    }
}
