using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// Scores a cohort of units against a criteria set (points per spec §5, maturity levels per §6).
/// Pure and deterministic: the same set and values always give the same result, so a round's
/// scores can be reproduced from the frozen cohort. Edge cases are flagged in the result, never
/// thrown; only values that do not fit the set (unknown codes, wrong types) throw.
/// </summary>
public static class ScoringEngine
{
    /// <summary>Below this many units the cost of fanning out to threads exceeds the work.</summary>
    private const int ParallelThreshold = 512;

    public static CohortResult Score(CriteriaSet set, IReadOnlyList<UnitValues> units)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(units);
        var errors = Validate(set, units);
        if (errors.Count > 0) throw new ScoringInputException(errors);

        var plan = set.Plan;
        var results = new UnitResult[units.Count];
        if (units.Count >= ParallelThreshold)
            Parallel.For(0, units.Count, i => results[i] = ScoreUnit(plan, units[i]));
        else
            for (var i = 0; i < units.Count; i++) results[i] = ScoreUnit(plan, units[i]);

        if (set.ValidationRules.Count > 0)
        {
            for (var i = 0; i < units.Count; i++)
            {
                var unit = units[i];
                results[i].SetRules(() => ValidationRules.Evaluate(set, unit));
            }
        }

        // Peer-relative criteria need every unit's ratio first: the cohort's min and max.
        foreach (var peer in plan.PeerNodes) ScorePeers(plan.Nodes[peer], results);

        // Appraisers' points replace the computed ones (after the peers: an override is never part of a cohort's range).
        for (var u = 0; u < units.Count; u++) ApplyOverrides(plan, units[u], results[u]);

        if (units.Count >= ParallelThreshold)
            Parallel.For(0, results.Length, i => Finish(plan, results[i]));
        else
            foreach (var r in results) Finish(plan, r);
        return new CohortResult(set, results);
    }

    /// <summary>One unit on its own (its peer-relative criteria compare it with itself only).</summary>
    public static UnitResult ScoreOne(CriteriaSet set, UnitValues unit) => Score(set, [unit]).Units[0];

    /// <summary>
    /// Issue 17: the cohort <paramref name="units"/> scored again when only the units at <paramref name="changed"/> have new
    /// values since <paramref name="previous"/> (this set's <see cref="Score"/> of the same units, in the same order). Only the
    /// changed units are scored; the others' results are reused as they are (never modified: readers may hold them). When a
    /// changed unit moves the range of a peer-relative criterion (a new lowest or highest ratio, or one leaving it), every
    /// unit's points of that criterion move, and the whole cohort is scored as <see cref="Score"/> does. Either way the result
    /// equals <see cref="Score"/>'s (ScoringEngineRescoreTests compares them on random cohorts).
    /// </summary>
    public static CohortResult Rescore(CriteriaSet set, IReadOnlyList<UnitValues> units, IReadOnlyList<UnitResult> previous,
        IReadOnlyCollection<int> changed)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(changed);
        if (previous.Count != units.Count || changed.Any(i => i < 0 || i >= units.Count))
            throw new ArgumentException("Kết quả trước không khớp với danh sách đơn vị.", nameof(previous));
        for (var i = 0; i < units.Count; i++)
            if (!string.Equals(previous[i].Unit, units[i].Unit, StringComparison.Ordinal))
                throw new ArgumentException("Kết quả trước không khớp với danh sách đơn vị.", nameof(previous));
        var errors = Validate(set, changed.Select(i => units[i]).ToList());
        if (errors.Count > 0) throw new ScoringInputException(errors);

        var plan = set.Plan;
        var fresh = new Dictionary<int, UnitResult>(changed.Count);
        foreach (var i in changed)
        {
            var result = ScoreUnit(plan, units[i]);
            if (set.ValidationRules.Count > 0)
            {
                var unit = units[i];
                result.SetRules(() => ValidationRules.Evaluate(set, unit));
            }
            fresh[i] = result;
        }
        var merged = new UnitResult[units.Count];
        for (var i = 0; i < merged.Length; i++) merged[i] = fresh.TryGetValue(i, out var f) ? f : previous[i];

        var ranges = new List<(PlanNode Node, PeerRange Range)>(plan.PeerNodes.Length);
        foreach (var peer in plan.PeerNodes)
        {
            var range = RangeOf(peer, merged);
            if (range != RangeOf(peer, previous)) return Score(set, units); // every unit's points of this criterion move
            ranges.Add((plan.Nodes[peer], range));
        }
        foreach (var (i, result) in fresh)
        {
            foreach (var (node, range) in ranges)
                if (range.Any) ScorePeer(node, range, result);
            ApplyOverrides(plan, units[i], result);
            Finish(plan, result);
        }
        return new CohortResult(set, merged);
    }

    private static void ApplyOverrides(ScoringPlan plan, UnitValues unit, UnitResult result)
    {
        if (unit.Points is not { Count: > 0 } overrides) return;
        foreach (var (code, points) in overrides)
        {
            var node = (NodeResult)result.Nodes[plan.CodeIndex[code]];
            node.Points = points;
            node.FlagSet |= ScoreFlags.Appraised;
        }
    }

    /// <summary>Every problem with the values (unknown codes, ill-typed values), in Vietnamese; empty when fine.</summary>
    public static IReadOnlyList<string> Validate(CriteriaSet set, IReadOnlyList<UnitValues> units)
    {
        var plan = set.Plan;
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (string.IsNullOrWhiteSpace(unit.Unit))
            {
                errors.Add("Thiếu mã đơn vị (unit)");
                continue;
            }
            if (!seen.Add(unit.Unit)) errors.Add($"Đơn vị '{unit.Unit}': mã đơn vị bị trùng");
            foreach (var (key, value) in unit.Values)
            {
                if (!plan.Addresses.TryGetValue(key, out var info))
                {
                    var hint = plan.General.ContainsKey(key) ? " (đây là mã thông tin chung: hãy đặt trong 'general')" : "";
                    errors.Add($"Đơn vị '{unit.Unit}': mã '{key}' không có trong bộ chỉ số '{set.Id}'{hint}");
                    continue;
                }
                var problem = CheckType(value, info.Type, info.OptionCount, info.IsList);
                if (problem is not null) errors.Add($"Đơn vị '{unit.Unit}': '{key}' {problem}");
            }
            if (unit.Points is not null)
            {
                foreach (var (code, points) in unit.Points)
                {
                    if (!plan.CodeIndex.TryGetValue(code, out var i))
                        errors.Add($"Đơn vị '{unit.Unit}': điểm thẩm định cho tiêu chí '{code}' không có trong bộ chỉ số '{set.Id}'");
                    else if (plan.Nodes[i].IsGroup || plan.Nodes[i].Node.Max <= 0)
                        errors.Add($"Đơn vị '{unit.Unit}': tiêu chí '{code}' không chấm điểm trực tiếp nên không thể đặt điểm thẩm định");
                    else if (points < 0 || points > plan.Nodes[i].Node.Max)
                        errors.Add($"Đơn vị '{unit.Unit}': điểm thẩm định của tiêu chí '{code}' phải từ 0 đến {VnFormat.Number(plan.Nodes[i].Node.Max)}");
                }
            }
            if (unit.General is null) continue;
            foreach (var (key, value) in unit.General)
            {
                if (!plan.General.TryGetValue(key, out var item))
                {
                    errors.Add($"Đơn vị '{unit.Unit}': mục thông tin chung '{key}' không có trong bộ chỉ số '{set.Id}'");
                    continue;
                }
                var problem = item.Type switch
                {
                    InputType.Text => value is null or string ? null : "phải là chuỗi",
                    InputType.Date => value is null or string or DateOnly or DateTime or DateTimeOffset ? null : "phải là ngày",
                    _ => CheckType(value, item.Type, 0, false),
                };
                if (problem is not null) errors.Add($"Đơn vị '{unit.Unit}': thông tin chung '{key}' {problem}");
            }
        }
        return errors;
    }

    private static string? CheckType(object? value, InputType type, int options, bool isList)
    {
        if (value is null) return null; // null = not entered yet: scored as missing
        if (isList)
        {
            if (value is string || value is not System.Collections.IEnumerable items) return "phải là danh sách mức của các đơn vị cấp dưới, ví dụ [3, 3, 2]";
            foreach (var item in items)
            {
                if (!TryNumber(item, out var n) || n != decimal.Truncate(n) || n < 0)
                    return "phải là danh sách mức (số nguyên ≥ 0)";
            }
            return null;
        }
        if (type == InputType.Boolean)
            return value is bool ? null : value is string b ? $"phải là có/không (true/false), không phải chuỗi \"{b}\"" : "phải là có/không (true/false)";
        if (value is string s) return $"phải là số, không phải chuỗi \"{s}\"";
        if (value is bool) return "phải là số, không phải true/false";
        if (!TryNumber(value, out var d))
            return value is double or float ? "không phải là số hữu hạn" : $"có kiểu không hỗ trợ ({value.GetType().Name})";
        if (options > 0)
            return d == decimal.Truncate(d) && d >= 1 && d <= options ? null : $"phải là số thứ tự phương án từ 1 đến {options}";
        if (type == InputType.Integer && d != decimal.Truncate(d)) return "phải là số nguyên";
        return null;
    }

    internal static bool TryNumber(object? value, out decimal result)
    {
        switch (value)
        {
            case int i: result = i; return true;
            case long l: result = l; return true;
            case decimal m: result = m; return true;
            case double d when double.IsFinite(d) && Math.Abs(d) < 7.9e27: result = (decimal)d; return true;
            case float f when float.IsFinite(f) && Math.Abs(f) < 7.9e27f: result = (decimal)f; return true;
            case short s: result = s; return true;
            case byte b: result = b; return true;
            case uint u: result = u; return true;
            case ulong ul: result = ul; return true;
            case bool flag: result = flag ? 1 : 0; return true;
            default: result = 0; return false;
        }
    }

    private static decimal? Read(PlanInput input, UnitValues unit)
    {
        if (input.WholeAddress is { } whole && unit.Values.TryGetValue(whole, out var wholeValue) && wholeValue is not null)
            return !TryNumber(wholeValue, out var w) ? null : input.FirstPart ? w : 0;
        if (unit.Values.TryGetValue(input.Address, out var value) && value is not null)
            return TryNumber(value, out var d) ? d : null;
        if (input.General is { } g && unit.General is { } general
            && (general.TryGetValue(g.Code, out value) || general.TryGetValue(g.Key, out value))
            && value is not null)
            return TryNumber(value, out var d) ? d : null;
        return null;
    }

    internal static string MissingAddress(PlanInput input) =>
        input.General is { } g ? $"general:{g.Code}" : input.Address;

    private static UnitResult ScoreUnit(ScoringPlan plan, UnitValues unit)
    {
        var nodes = new NodeResult[plan.Nodes.Length];
        List<string>? missing = null;
        for (var i = 0; i < nodes.Length; i++)
        {
            var p = plan.Nodes[i];
            var result = new NodeResult(p);
            nodes[i] = result;
            if (!p.IsGroup) ScoreCriterion(p, result, unit, ref missing);
        }
        return new UnitResult(unit.Unit, nodes, plan.CodeIndex) { Missing = (IReadOnlyList<string>?)missing ?? [] };
    }

    private static void ScoreCriterion(PlanNode p, NodeResult result, UnitValues unit, ref List<string>? missing)
    {
        var inputs = p.Inputs;
        var raw = new decimal?[inputs.Length];
        var values = new decimal[inputs.Length];
        var anyMissing = false;
        var anyNegative = false;
        // A condition that is "no" (requires: a) makes the other figures irrelevant: they are neither needed nor missing.
        var gateClosed = p.GateInput >= 0 && Read(inputs[p.GateInput], unit) == 0;
        for (var k = 0; k < inputs.Length; k++)
        {
            if (k == p.ListInput)
            {
                result.LowerLevels = ReadList(unit, inputs[k]);
                if (result.LowerLevels is null) (missing ??= []).Add(inputs[k].Address);
                continue;
            }
            var v = Read(inputs[k], unit);
            raw[k] = v;
            if (v is null && gateClosed) continue;
            if (v is null)
            {
                anyMissing = true;
                var address = MissingAddress(inputs[k]);
                missing ??= [];
                if (!missing.Contains(address)) missing.Add(address);
                continue;
            }
            values[k] = v.Value;
            if (v.Value < 0) anyNegative = true;
        }
        result.RawInputs = raw;

        var method = p.Method;
        if (method is not null)
        {
            var flags = ScoreFlags.None;
            decimal points;
            if (method.Kind == MethodKind.Parts)
            {
                // Each part is scored on its own: a missing part costs its share, not the whole criterion.
                points = 0;
                for (var k = 0; k < method.Parts.Count; k++)
                {
                    var part = method.Parts[k];
                    var index = LevelRules.IndexOf(inputs, part.Key);
                    if (raw[index] is null) flags |= ScoreFlags.Missing;
                    else if (raw[index] != 0) points += Share(part.Fraction, part.Points, p.Node.Max);
                }
            }
            else if (gateClosed)
            {
                points = 0;
            }
            else if (anyMissing)
            {
                points = 0;
                flags = ScoreFlags.Missing;
            }
            else if (anyNegative)
            {
                points = 0;
                flags = ScoreFlags.NegativeInput;
            }
            else
            {
                points = ScoreMethod(p, method, result, values, ref flags);
            }
            if (points > p.Node.Max) points = p.Node.Max;
            result.Points = decimal.Round(points, 2, MidpointRounding.AwayFromZero);
            result.FlagSet = flags;
        }
        else
        {
            result.FlagSet = anyMissing ? ScoreFlags.Missing : anyNegative ? ScoreFlags.NegativeInput : ScoreFlags.None;
        }

        if (p.Requirements is not null)
        {
            result.LevelValue = LevelValueOf(p, result, values, raw);
            result.LevelMet = LevelRules.HighestMet(p, result);
        }
    }

    /// <summary>The value the level requirements read; null when an input it needs is missing.</summary>
    private static decimal? LevelValueOf(PlanNode p, NodeResult result, decimal[] values, decimal?[] raw)
    {
        var v = p.Node.Value;
        if (v is null) return result.FlagSet == ScoreFlags.None ? result.Ratio : null; // the method's own ratio
        switch (v.Kind)
        {
            case LevelValueKind.Ratio:
                foreach (var key in v.Ratio!.Keys)
                    if (raw[LevelRules.IndexOf(p.Inputs, key)] is null) return null;
                var divZero = false;
                var r = v.Ratio.Evaluate(values, ref divZero);
                return divZero ? null : r;
            case LevelValueKind.LowerLevels:
                return null;
            case LevelValueKind.Present:
            case LevelValueKind.Count:
                var index = LevelRules.IndexOf(p.Inputs, v.Input);
                return index < 0 ? null : LevelRules.Normalized(p.Inputs[index], raw[index]);
            default:
                return p.SingleInput < 0 ? null : LevelRules.Normalized(p.Inputs[p.SingleInput], raw[p.SingleInput]);
        }
    }

    private static int[]? ReadList(UnitValues unit, PlanInput input)
    {
        if (!unit.Values.TryGetValue(input.Address, out var value) || value is not System.Collections.IEnumerable items || value is string)
            return null;
        var list = new List<int>();
        foreach (var item in items)
            if (TryNumber(item, out var d)) list.Add((int)d);
        return [.. list];
    }

    private static decimal Share(decimal? fraction, decimal? points, decimal max) => fraction is { } f ? f * max : points ?? 0;

    private static decimal ScoreMethod(PlanNode p, ScoringMethod method, NodeResult result, decimal[] values, ref ScoreFlags flags)
    {
        var max = p.Node.Max;
        switch (method.Kind)
        {
            case MethodKind.YesNo:
                result.Ratio = values[p.SingleInput];
                return values[p.SingleInput] != 0 ? max : 0;
            case MethodKind.Choice:
                var option = (int)values[p.SingleInput] - 1;
                result.Choice = option;
                var chosen = method.Options[option];
                return Share(chosen.Fraction, chosen.Points, max);
            case MethodKind.Direct:
                var typed = values[p.SingleInput];
                result.Ratio = typed;
                if (typed > max) flags |= ScoreFlags.AboveMax;
                return typed;
        }

        // Everything else reads a ratio or a count.
        var divZero = false;
        var r = p.Expr is { } expr ? expr.Evaluate(values, ref divZero) : p.PercentSingle ? values[p.SingleInput] / 100m : values[p.SingleInput];
        // zeroDenominator: max on a single value (no formula) reads "nothing to count" as max:
        // seed 001 §5.9 "không phát hiện sự cố … được điểm tối đa".
        if (p.Expr is null && r == 0 && method.ZeroDenominator == ZeroDenominatorRule.Max) divZero = true;
        if (divZero)
        {
            result.Ratio = null;
            if (method.ZeroDenominator == ZeroDenominatorRule.Max)
            {
                flags |= ScoreFlags.ZeroDenominatorMax;
                return max;
            }
            flags |= ScoreFlags.DivisionByZero;
            return 0;
        }
        if (r < 0)
        {
            // Only reachable through a formula with a minus sign: treated as a negative input.
            flags |= ScoreFlags.NegativeInput;
            result.Ratio = r;
            return 0;
        }

        var isRatio = PlanRatio(p);
        if (isRatio && r > 1)
        {
            r = 1;
            flags |= ScoreFlags.RatioAbove100;
        }
        result.Ratio = r;

        switch (method.Kind)
        {
            case MethodKind.Ratio:
                return r * max;
            case MethodKind.RatioTarget:
                return r >= method.Target ? max : r / method.Target!.Value * max;
            case MethodKind.RatioTargetPlain:
                return r >= method.Target ? max : r * max;
            case MethodKind.Band:
                return r >= 1 ? max : r >= method.Lower ? r * max : 0;
            case MethodKind.RatioSteps:
            case MethodKind.CountTiers:
                var thresholds = method.Thresholds;
                for (var i = 0; i < thresholds.Count; i++)
                {
                    if (r >= thresholds[i].Min)
                    {
                        result.Choice = i;
                        return Share(thresholds[i].Fraction, thresholds[i].Points, max);
                    }
                }
                return 0;
            case MethodKind.CappedCount:
                return r * method.PointsEach!.Value;
            case MethodKind.PeerRelative:
                return 0; // set over the cohort in ScorePeers
            default:
                throw new InvalidOperationException($"Phương pháp chưa hỗ trợ: {method.Name}");
        }
    }

    /// <summary>A value is a ratio (capped at 100 %) when it divides or is a percent; counts and money are not.</summary>
    internal static bool PlanRatio(PlanNode p) =>
        p.Method?.Kind is not (MethodKind.CountTiers or MethodKind.CappedCount)
        && (p.Expr?.HasDivision ?? p.PercentSingle);

    private const ScoreFlags PeerExcluded = ScoreFlags.Missing | ScoreFlags.NegativeInput | ScoreFlags.DivisionByZero | ScoreFlags.ZeroDenominatorMax;

    /// <summary>A peer-relative criterion's range over a cohort: the lowest and highest ratio of the units that have one.</summary>
    private readonly record struct PeerRange(bool Any, decimal Low, decimal High);

    private static PeerRange RangeOf(int index, IEnumerable<UnitResult> results)
    {
        decimal low = decimal.MaxValue, high = decimal.MinValue;
        var any = false;
        foreach (var unit in results)
        {
            var n = (NodeResult)unit.Nodes[index];
            if ((n.FlagSet & PeerExcluded) != 0 || n.Ratio is not { } r) continue;
            any = true;
            if (r < low) low = r;
            if (r > high) high = r;
        }
        return new PeerRange(any, low, high);
    }

    private static void ScorePeers(PlanNode p, UnitResult[] results)
    {
        var range = RangeOf(p.Index, results);
        if (!range.Any) return;
        foreach (var unit in results) ScorePeer(p, range, unit);
    }

    private static void ScorePeer(PlanNode p, PeerRange range, UnitResult unit)
    {
        var (low, high) = (range.Low, range.High);
        var n = (NodeResult)unit.Nodes[p.Index];
        n.PeerLow = low;
        n.PeerHigh = high;
        if ((n.FlagSet & PeerExcluded) != 0 || n.Ratio is not { } r) return;
        var max = p.Node.Max;
        decimal points;
        if (p.Method!.Mode == PeerMode.Best)
            points = high <= 0 ? 0 : r / high * max;
        else if (high == low)
            points = r > 0 ? max : 0; // spec §5: every unit equal → max when r > 0
        else
            points = (r - low) / (high - low) * max;
        n.Points = decimal.Round(Math.Min(points, max), 2, MidpointRounding.AwayFromZero);
    }

    private static void Finish(ScoringPlan plan, UnitResult unit)
    {
        var nodes = unit.Nodes;
        // Children follow their parent in document order: walking backwards sums them first.
        for (var i = plan.Nodes.Length - 1; i >= 0; i--)
        {
            var p = plan.Nodes[i];
            if (!p.IsGroup) continue;
            decimal sum = 0;
            foreach (var c in p.Children) sum += nodes[c].Points;
            ((NodeResult)nodes[i]).Points = sum;
        }
        decimal total = 0;
        foreach (var t in plan.TopLevel) total += nodes[t].Points;
        unit.Total = total;

        if (plan.MaxLevel > 0)
        {
            var level = plan.MaxLevel;
            foreach (var li in plan.LevelNodes) level = Math.Min(level, nodes[li].LevelMet ?? 0);
            unit.Level = level;
            if (level < plan.MaxLevel) unit.SetGaps(u => LevelRules.Gaps(plan, u, level));
        }
    }
}
