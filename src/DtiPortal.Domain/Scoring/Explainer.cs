using DtiPortal.Domain.Criteria;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// One line of Vietnamese per node saying how its points came about, in the texts' own terms:
/// "Tỷ lệ 72,5% ≥ 80%? Không → 72,5/80 × 40 = 36,25". Built lazily from the state the engine kept.
/// </summary>
internal static class Explainer
{
    private static string N(decimal v) => VnFormat.Number(v);
    private static string P(decimal v) => VnFormat.Percent(v);

    public static string Explain(NodeResult r)
    {
        var p = r.PlanNode;
        if (p.IsGroup) return $"Tổng điểm các chỉ số con = {N(r.Points)}/{N(r.Max)}";
        var text = p.Method is null ? ExplainLevelsOnly(r) : ExplainMethod(p, p.Method, r);
        if (r.LevelMet is { } met && p.Method is not null) text += $"; đạt yêu cầu đến mức {met}";
        return text;
    }

    private static string ExplainLevelsOnly(NodeResult r)
    {
        var p = r.PlanNode;
        if (r.LowerLevels is { } levels)
            return $"Mức của {levels.Length} đơn vị cấp dưới: {string.Join(", ", levels)} → đạt yêu cầu đến mức {r.LevelMet}";
        if (r.LevelValue is not { } v)
            return $"Thiếu số liệu: {string.Join(", ", MissingOf(p, r))} → chưa đạt mức nào";
        var shown = p.Node.Value?.Kind switch
        {
            LevelValueKind.Ratio => P(v),
            LevelValueKind.Present => v != 0 ? "Có" : "Không",
            LevelValueKind.Count => N(v),
            _ => p.SingleInput >= 0 && p.Inputs[p.SingleInput].Type switch
            {
                InputType.Boolean => true,
                _ => false,
            } ? (v != 0 ? "Có" : "Không") : p.PercentSingle ? P(v) : N(v),
        };
        return $"Giá trị {shown} → đạt yêu cầu đến mức {r.LevelMet}";
    }

    private static IEnumerable<string> MissingOf(PlanNode p, NodeResult r)
    {
        for (var k = 0; k < p.Inputs.Length; k++)
        {
            if (k == p.ListInput) continue;
            if (r.RawInputs is null || r.RawInputs[k] is null) yield return ScoringEngine.MissingAddress(p.Inputs[k]);
        }
    }

    private static string Share(decimal? fraction, decimal? points, decimal max) =>
        fraction is { } f ? (f == 1 ? $"điểm tối đa {N(max)}" : $"{N(f)} × {N(max)} = {N(f * max)}") : $"{N(points ?? 0)} điểm";

    private static string ExplainMethod(PlanNode p, ScoringMethod m, NodeResult r)
    {
        var max = p.Node.Max;
        var flags = r.FlagSet;
        if ((flags & ScoreFlags.Appraised) != 0) return $"Điểm do cơ quan thẩm định xác định: {N(r.Points)}";
        if (m.Kind == MethodKind.Parts) return ExplainParts(p, m, r);
        if (p.GateInput >= 0 && r.RawInputs?[p.GateInput] == 0)
            return $"{p.Inputs[p.GateInput].Label} ({p.Inputs[p.GateInput].Key}): Không → 0";
        if ((flags & ScoreFlags.Missing) != 0) return $"Thiếu số liệu: {string.Join(", ", MissingOf(p, r))} → 0";
        if ((flags & ScoreFlags.NegativeInput) != 0)
        {
            var negatives = p.Inputs.Select((x, k) => (x, v: r.RawInputs?[k])).Where(t => t.v < 0).Select(t => $"{t.x.Key} = {N(t.v!.Value)}");
            var list = string.Join(", ", negatives);
            return list.Length > 0 ? $"Số liệu âm ({list}) → 0" : "Kết quả công thức âm → 0";
        }

        // Inputs as entered (up to 6 decimals): a rounded 74,999 shown as 75 would make the formula disagree with its result.
        string Values(int k) => r.RawInputs?[k] is { } v ? VnFormat.Number(v, 6) : "?";
        var ratioText = p.Expr is { } expr
            ? $"Tỷ lệ {expr.Source} = {expr.Substitute(Values)}"
            : "Tỷ lệ";
        if ((flags & ScoreFlags.DivisionByZero) != 0) return $"{ratioText}: mẫu số bằng 0 → 0";
        if ((flags & ScoreFlags.ZeroDenominatorMax) != 0) return $"{ratioText}: mẫu số bằng 0 → điểm tối đa {N(max)}";

        var pts = N(r.Points);
        var rv = r.Ratio ?? 0;
        var capped = (flags & ScoreFlags.RatioAbove100) != 0 ? " (vượt 100%, tính 100%)" : "";
        var isRatio = ScoringEngine.PlanRatio(p);
        // The value is shown with as many decimals as it takes to sit on the same side of every threshold the method
        // compares it with: "(75+75)/5.000 = 2,99% < 3%", never "= 3% < 3%" (issue 14).
        var decimals = VnFormat.DecimalsFor(rv, Thresholds(m), isRatio);
        var rShown = isRatio ? VnFormat.Number(rv * 100, decimals) + "%" : VnFormat.Number(rv, decimals);
        var withValue = p.Expr is not null ? $"{ratioText} = {rShown}{capped}" : $"{ratioText} {rShown}{capped}";

        switch (m.Kind)
        {
            case MethodKind.YesNo:
                return rv != 0 ? $"Có → {N(max)}" : "Không → 0";
            case MethodKind.Choice:
                var option = m.Options[r.Choice];
                return $"Phương án {r.Choice + 1}: {option.Label} → {Share(option.Fraction, option.Points, max)}";
            case MethodKind.Direct:
                return (flags & ScoreFlags.AboveMax) != 0 ? $"Điểm nhập {N(rv)} vượt tối đa → {pts}" : $"Điểm nhập {N(rv)} → {pts}";
            case MethodKind.Ratio:
                return $"{withValue} → {rShown} × {N(max)} = {pts}";
            case MethodKind.RatioTarget:
                return rv >= m.Target
                    ? $"{withValue} ≥ {P(m.Target!.Value)}? Có → {N(max)}"
                    : $"{withValue} ≥ {P(m.Target!.Value)}? Không → {VnFormat.Number(rv * 100, decimals)}/{N(m.Target.Value * 100)} × {N(max)} = {pts}";
            case MethodKind.RatioTargetPlain:
                return rv >= m.Target
                    ? $"{withValue} ≥ {P(m.Target!.Value)}? Có → {N(max)}"
                    : $"{withValue} ≥ {P(m.Target!.Value)}? Không → {rShown} × {N(max)} = {pts}";
            case MethodKind.Band:
                if (rv >= 1) return $"{withValue} → {N(max)}";
                return rv >= m.Lower
                    ? $"{withValue}, từ {P(m.Lower!.Value)} đến dưới 100% → {rShown} × {N(max)} = {pts}"
                    : $"{withValue} < {P(m.Lower!.Value)} → 0";
            case MethodKind.RatioSteps:
            case MethodKind.CountTiers:
            {
                var shown = m.Kind == MethodKind.RatioSteps ? withValue : p.Expr is not null ? $"Số lượng {p.Expr.Source} = {p.Expr.Substitute(Values)} = {rShown}" : $"Số lượng {rShown}";
                string Min(decimal v) => m.Kind == MethodKind.RatioSteps ? P(v) : N(v);
                if (r.Choice < 0)
                    return m.Thresholds.Count == 0 ? $"{shown} → 0" : $"{shown} < {Min(m.Thresholds[^1].Min)} → 0";
                var t = m.Thresholds[r.Choice];
                return $"{shown} ≥ {Min(t.Min)} → {Share(t.Fraction, t.Points, max)}";
            }
            case MethodKind.CappedCount:
            {
                var raw = rv * m.PointsEach!.Value;
                var count = p.Expr is not null ? $"{p.Expr.Source} = {N(rv)}" : N(rv);
                return raw > max
                    ? $"{count} × {N(m.PointsEach.Value)} = {N(raw)}, tối đa {N(max)} → {pts}"
                    : $"{count} × {N(m.PointsEach.Value)} = {pts}";
            }
            case MethodKind.PeerRelative:
            {
                var lo = isRatio ? P(r.PeerLow) : N(r.PeerLow);
                var hi = isRatio ? P(r.PeerHigh) : N(r.PeerHigh);
                var head = p.Expr is not null ? withValue : $"Giá trị {rShown}";
                if (m.Mode == PeerMode.Best)
                    return $"{head}; cao nhất trong nhóm {hi} → {rShown}/{hi} × {N(max)} = {pts}";
                if (r.PeerHigh == r.PeerLow)
                    return $"{head}; mọi đơn vị trong nhóm bằng nhau → {pts}";
                return $"{head}; Min-Max trong nhóm [{lo}; {hi}] → ({rShown} − {lo})/({hi} − {lo}) × {N(max)} = {pts}";
            }
            default:
                return pts;
        }
    }

    /// <summary>The values a method compares its ratio or count with (as fractions for ratios).</summary>
    private static IEnumerable<decimal> Thresholds(ScoringMethod m)
    {
        if (m.Target is { } t) yield return t;
        if (m.Lower is { } l) yield return l;
        if (m.Kind == MethodKind.Band) yield return 1;
        foreach (var th in m.Thresholds) yield return th.Min;
    }

    private static string ExplainParts(PlanNode p, ScoringMethod m, NodeResult r)
    {
        var items = new List<string>();
        foreach (var part in m.Parts)
        {
            var k = Array.FindIndex(p.Inputs, x => x.Key == part.Key);
            var v = r.RawInputs?[k];
            var share = part.Fraction is { } f ? f * p.Node.Max : part.Points ?? 0;
            items.Add(v is null ? $"{part.Key}: thiếu số liệu" : v != 0 ? $"{part.Key}: Có (+{N(share)})" : $"{part.Key}: Không");
        }
        return $"{string.Join("; ", items)} → {N(r.Points)}";
    }
}
