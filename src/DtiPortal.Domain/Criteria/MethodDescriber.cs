using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// How a criterion is scored, said in plain Vietnamese for the people who enter and check the figures
/// ("Tỷ lệ a/b; đạt từ 80% trở lên được điểm tối đa, …"). The set pages show it and the data-entry
/// form reuses it, so a method's wording lives in one place. Numbers use Vietnamese formatting (72,5).
/// </summary>
public static class MethodDescriber
{
    private static string N(decimal v) => VnFormat.Number(v);
    private static string P(decimal v) => VnFormat.Percent(v);

    /// <summary>One sentence (or a few clauses) describing how <paramref name="node"/> earns its points or its level.</summary>
    public static string Describe(CriterionNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.IsGroup) return $"Tổng điểm của các chỉ số thành phần (tối đa {N(node.Max)} điểm)";
        if (node.Method is not { } m)
        {
            if (node.Aggregate is { } a)
                return $"Tổng hợp mức độ của các đơn vị cấp dưới: mức 1 khi {P(a.AllAtLeastPrevious)} đơn vị đạt từ mức 1; " +
                       $"mức L (từ 2) khi {P(a.AllAtLeastPrevious)} đơn vị đạt từ mức L−1 và ít nhất {P(a.AtLeast)} đạt từ mức L";
            return node.LevelRequirements.Count > 0
                ? "Không chấm điểm: xét đạt yêu cầu của từng mức độ (xem bảng yêu cầu theo mức)"
                : "Không chấm điểm";
        }
        var text = DescribeMethod(node, m);
        if (m.ZeroDenominator == ZeroDenominatorRule.Max)
            text += m.Ratio is not null
                ? "; mẫu số bằng 0 (không phát sinh) được điểm tối đa"
                : "; giá trị bằng 0 (không phát sinh) được điểm tối đa";
        if (m.Requires is { } req && node.Inputs.FirstOrDefault(i => i.Key == req) is { } gate)
            text = $"{gate.Label} ({req}): Không → 0 điểm; Có → " + char.ToLowerInvariant(text[0]) + text[1..];
        return text;
    }

    /// <summary>A level requirement (Decision 2361) in words: "Tối thiểu 70%", "Có", "Không áp dụng".</summary>
    public static string DescribeRequirement(LevelRequirement requirement) => requirement switch
    {
        LevelRequirement.NotApplicable => "Không áp dụng",
        LevelRequirement.Present p => p.Of is null ? "Có" : $"Có ({p.Of})",
        LevelRequirement.Min m => $"Tối thiểu {P(m.Value)}" + Of(m.Of),
        LevelRequirement.MinCount c => $"Tối thiểu {N(c.Value)}" + Of(c.Of),
        LevelRequirement.Any any => string.Join(" hoặc ", any.Items.Select(DescribeRequirement)),
        LevelRequirement.All all => string.Join(" và ", all.Items.Select(DescribeRequirement)),
        LevelRequirement.Aggregate agg =>
            $"{P(agg.Rule.AllAtLeastPrevious)} đơn vị cấp dưới đạt mức liền trước, ít nhất {P(agg.Rule.AtLeast)} đạt mức này",
        _ => requirement.ToString() ?? "",
    };

    /// <summary>The requirement of <paramref name="node"/> at <paramref name="level"/>; "Không áp dụng" when the level is not in its map.</summary>
    public static string DescribeRequirement(CriterionNode node, int level) =>
        DescribeRequirement(node.LevelRequirements.GetValueOrDefault(level) ?? LevelRequirement.Na);

    private static string Of(string? input) => input is null ? "" : $" ({input})";

    private static string DescribeMethod(CriterionNode node, ScoringMethod m)
    {
        var max = node.Max;
        var ratio = m.Ratio is { } r ? $"Tỷ lệ {r.Source}" : "Tỷ lệ (%)";
        var ratioShort = m.Ratio is { } r2 ? $"tỷ lệ {r2.Source}" : "tỷ lệ";
        var count = m.Count is { } c ? $"Số lượng {c.Source}" : "Số lượng";
        switch (m.Kind)
        {
            case MethodKind.YesNo:
                return "Có: điểm tối đa; Không: 0 điểm";
            case MethodKind.Choice:
                return "Chọn một phương án: " + string.Join("; ", m.Options.Select(o => $"{o.Label}: {Share(o.Fraction, o.Points, max)}"));
            case MethodKind.Ratio:
                return $"{ratio} × điểm tối đa (tỷ lệ trên 100% tính là 100%)";
            case MethodKind.RatioTarget:
            {
                var t = P(m.Target ?? 1);
                return $"{ratio}; đạt từ {t} trở lên được điểm tối đa, dưới {t} tính theo {ratioShort} ÷ {t} × điểm tối đa";
            }
            case MethodKind.RatioTargetPlain:
            {
                var t = P(m.Target ?? 1);
                return $"{ratio}; đạt từ {t} trở lên được điểm tối đa, dưới {t} tính theo {ratioShort} × điểm tối đa";
            }
            case MethodKind.Band:
            {
                var lower = m.Lower ?? 1;
                return lower >= 1
                    ? $"{ratio}; đạt 100% được điểm tối đa, dưới 100%: 0 điểm"
                    : $"{ratio}; đạt 100% được điểm tối đa; từ {P(lower)} đến dưới 100% tính theo {ratioShort} × điểm tối đa; dưới {P(lower)}: 0 điểm";
            }
            case MethodKind.RatioSteps:
                return $"{ratio}: " + Steps(m.Thresholds, P, max);
            case MethodKind.CountTiers:
                return $"{count}: " + Steps(m.Thresholds, N, max);
            case MethodKind.Parts:
                return "Cộng điểm các nội dung đạt: " + string.Join("; ", m.Parts.Select(p => $"{p.Label} ({p.Key}): {Share(p.Fraction, p.Points, max)}"));
            case MethodKind.CappedCount:
                return $"{count} × {N(m.PointsEach ?? 1)} điểm, tối đa {N(max)} điểm";
            case MethodKind.PeerRelative:
            {
                var value = m.Ratio is not null ? ratioShort : "giá trị";
                return m.Mode == PeerMode.Best
                    ? $"So sánh với đơn vị cao nhất cùng cấp: {value} ÷ {value} cao nhất × điểm tối đa"
                    : $"So sánh với các đơn vị cùng cấp (Min-Max): ({value} − thấp nhất) ÷ (cao nhất − thấp nhất) × điểm tối đa";
            }
            case MethodKind.Direct:
                return $"Nhập trực tiếp số điểm, từ 0 đến {N(max)}";
            default:
                return m.Name;
        }
    }

    private static string Steps(IReadOnlyList<Threshold> thresholds, Func<decimal, string> min, decimal max)
    {
        if (thresholds.Count == 0) return "0 điểm";
        var ordered = thresholds.OrderByDescending(t => t.Min).ToList();
        var parts = ordered.Select(t => $"từ {min(t.Min)} trở lên: {Share(t.Fraction, t.Points, max)}").ToList();
        if (ordered[^1].Min > 0) parts.Add($"dưới {min(ordered[^1].Min)}: 0 điểm");
        return string.Join("; ", parts);
    }

    /// <summary>"điểm tối đa", "50% điểm tối đa (10 điểm)", "4 điểm", "0 điểm".</summary>
    private static string Share(decimal? fraction, decimal? points, decimal max)
    {
        if (fraction is { } f)
        {
            if (f == 1) return "điểm tối đa";
            if (f == 0) return "0 điểm";
            return $"{P(f)} điểm tối đa ({N(f * max)} điểm)";
        }
        return $"{N(points ?? 0)} điểm";
    }
}
