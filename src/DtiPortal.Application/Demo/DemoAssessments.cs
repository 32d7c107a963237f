using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Demo;

/// <summary>
/// Demo rounds (issue 5): an open 2024 round for Hưng Yên's communes on <c>hung-yen-commune-2024</c> (the three-tier tree,
/// reviewed by the district) and a 2025 round on <c>mic-2361-commune</c> for the communes of the two-tier tree. Some
/// communes get a full set of plausible figures (deterministic, from the unit's code), Như Quỳnh's 2024 assessment is
/// submitted, and Lạc Đạo's 2024 assessment is only partly filled — with a few criteria assigned to its office — so a
/// demo user sees work to do. Idempotent: a round that exists is left as it is.
/// </summary>
public sealed class DemoAssessments(IDbContextFactory<DtiDbContext> dbFactory, SyncBuiltInSets builtIns, RoundSetCache sets, TimeProvider clock)
{
    private const string Province = "33";
    private static readonly string[] Full2024 = ["33-VL-NQU", "33-VL-CDA", "33-VL-DDO", "33-VL-LHO"];
    private const string Partial2024 = "33-VL-LDA";
    private static readonly string[] Full2025 = ["33-NQ2025"];
    private const string Partial2025 = "33-LD2025";
    public const string DemoDepartment = "Văn phòng - Thống kê";

    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        await builtIns.HandleAsync(ct);
        var created = 0;
        created += await SeedRoundAsync("hung-yen-commune-2024", 2024, "Đánh giá chuyển đổi số cấp xã năm 2024", hasDistrictTier: true,
            Full2024, Partial2024, submitted: "33-VL-NQU", EntryDays, ct);
        created += await SeedRoundAsync("mic-2361-commune", 2025, "Đánh giá mức độ chuyển đổi số cấp xã năm 2025 (Quyết định 2361)", hasDistrictTier: false,
            Full2025, Partial2025, submitted: null, EntryDays + 10, ct);
        return created;
    }

    /// <summary>
    /// Issue 15: the demo rounds' deadlines lie ahead of the day the demo is seeded (entry in a month, review two weeks later,
    /// the council's a fortnight after that), so a newcomer finds live rounds where entry and submission are still allowed —
    /// fixed dates in the round's year had long passed, and entry after the deadline is refused.
    /// </summary>
    public const int EntryDays = 30;

    private async Task<int> SeedRoundAsync(string setId, int year, string name, bool hasDistrictTier, string[] full, string partial, string? submitted,
        int entryDays, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var province = await db.Units.AsNoTracking().Where(u => u.Code == Province).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
        var version = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId).OrderByDescending(v => v.Version)
            .Select(v => (int?)v.Id).FirstOrDefaultAsync(ct);
        if (province is null || version is null) return 0;
        if (await db.AssessmentRounds.AnyAsync(r => r.ProvinceUnitId == province && r.Year == year && r.CriteriaSetVersionId == version, ct)) return 0;

        var set = await sets.GetAsync(db, version.Value, ct);
        var units = await RoundAdmin.UnitsOfRoundAsync(db, province.Value, UnitLevel.Commune, year, ct);
        var codes = await db.Units.AsNoTracking().Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Code, ct);
        var names = await db.Units.AsNoTracking().Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Code, u => u.Kind.DisplayName() + " " + u.Name, ct);
        var now = clock.GetUtcNow();
        var today = Domain.VietnamTime.Today(clock);
        var round = new AssessmentRound(year, name, version.Value, province.Value, UnitLevel.Commune, today.AddDays(entryDays),
            today.AddDays(entryDays + 14), today.AddDays(entryDays + 28), hasDistrictTier, now, "demo");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AssessmentRounds.Add(round);
        var assessments = units.ToDictionary(u => codes[u], u => RoundAdmin.AddAssessment(db, round, u, set));
        await db.SaveChangesAsync(ct);

        foreach (var (code, assessment) in assessments)
        {
            var isPartial = code == partial;
            if (!isPartial && !full.Contains(code)) continue;
            foreach (var (address, value) in Figures(set, code, names[code], isPartial))
            {
                var row = new AssessmentValue(assessment.Id, assessment.UnitId, address);
                row.Set(ValueText.ToJson(value), now, null, "demo");
                db.AssessmentValues.Add(row);
            }
            if (isPartial)
            {
                // A few criteria for the commune's office (the demo department officer's), some of them still empty.
                var mine = set.Criteria.Skip(2).Take(6).Select(c => c.Code).ToHashSet();
                var assigned = await db.CriterionAssignments.Where(a => a.AssessmentId == assessment.Id && mine.Contains(a.CriterionCode)).ToListAsync(ct);
                foreach (var a in assigned) a.Reassign(DemoDepartment);
            }
            if (code == submitted)
            {
                assessment.Submit(now, Guid.NewGuid(), roundOpen: true, "demo");
                // The history step with the values as submitted, as SubmitAssessment writes it (the reviewer's diff reads it).
                var submittedValues = Figures(set, code, names[code], isPartial).Select(f => (f.Item1, ValueText.ToJson(f.Item2)));
                db.WorkflowSteps.Add(new Reviews.WorkflowStep(assessment.Id, assessment.UnitId, nameof(Domain.Reviews.WorkflowAction.Submit),
                    AssessmentStatus.Draft, AssessmentStatus.Submitted, null, null, assessment.ReviewCycle, now, null, "Cán bộ xã (dữ liệu mẫu)",
                    Reviews.ReviewQueries.ValuesSnapshot(submittedValues)));
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return 1;
    }

    /// <summary>Text general information by the item's key (contact person, approving leader, the commune's own details).</summary>
    private static string DemoText(string key, string unitName) => key switch
    {
        "communeName" or "districtName" or "unitName" => unitName,
        "address" => $"Trụ sở UBND {unitName}, tỉnh Hưng Yên",
        "website" => "https://hungyen.gov.vn",
        var k when k.EndsWith("Name", StringComparison.Ordinal) && k.StartsWith("approver", StringComparison.Ordinal) => "Nguyễn Văn An",
        var k when k.EndsWith("Name", StringComparison.Ordinal) => "Trần Thị Thu",
        var k when k.EndsWith("Organisation", StringComparison.Ordinal) => $"UBND {unitName}",
        var k when k.EndsWith("Position", StringComparison.Ordinal) && k.StartsWith("approver", StringComparison.Ordinal) => "Chủ tịch UBND",
        var k when k.EndsWith("Position", StringComparison.Ordinal) => "Công chức Văn phòng - Thống kê",
        var k when k.EndsWith("Email", StringComparison.Ordinal) => "vanphong.demo@example.vn",
        var k when k.EndsWith("Phone", StringComparison.Ordinal) => "0221 3 985 123",
        _ => "(dữ liệu mẫu)",
    };

    /// <summary>
    /// Plausible figures for every value of the set, deterministic per unit: general information of a commune of ~10,000
    /// people, parts that never exceed their wholes, mostly "yes" answers. A partial commune gets the general information
    /// and the first third of the criteria only.
    /// </summary>
    internal static IEnumerable<(string Address, object Value)> Figures(EntrySet set, string unitCode, string unitName, bool partial)
    {
        var figures = RawFigures(set, unitCode, unitName, partial).ToList();
        return set.Set.ValidationRules.Count == 0 ? figures : KeepToRules(set, figures);
    }

    /// <summary>
    /// Demo figures keep to the set's validation rules (spec §10), so a demo assessment is neither refused at a field nor
    /// stopped at submission for want of an explanation: a broken rule moves one criterion input on its sides until it
    /// holds, and a part moved above its whole is brought back below it. A few passes settle the rules that share figures.
    /// </summary>
    private static List<(string Address, object Value)> KeepToRules(EntrySet set, List<(string Address, object Value)> figures)
    {
        var index = figures.Select((f, i) => (f.Address, i)).ToDictionary(x => x.Address, x => x.i, StringComparer.Ordinal);
        decimal? Number(string address) => index.TryGetValue(address, out var i) && figures[i].Value is decimal d ? d : null;
        decimal? Read(RuleReference r) =>
            (r.Address is { } a ? Number(a) : null) ?? (r.General is { } g ? Number(AssessmentValue.GeneralPrefix + g.Code) : null);
        void Put(string address, decimal value) => figures[index[address]] = (address, Math.Max(0, value));
        for (var pass = 0; pass < 6; pass++)
        {
            foreach (var rule in set.Set.ValidationRules)
            {
                if (ValidationRules.Check(rule, Read) is not { } broken) continue;
                var diff = broken.Right - broken.Left;
                // The largest figure moves: it can take the change without going below zero.
                RuleTerm? Largest(IReadOnlyList<RuleTerm> side) => side
                    .Where(t => t.Sign > 0 && t.Reference?.Address is { } a && Number(a) is not null)
                    .OrderByDescending(t => Number(t.Reference!.Address!)).FirstOrDefault();
                var left = Largest(rule.Left);
                var right = left is null ? Largest(rule.Right) : null;
                if ((left ?? right)?.Reference?.Address is not { } address) continue;
                var onLeft = left is not null;
                var delta = rule.Comparison switch
                {
                    RuleComparison.Less => onLeft ? diff - 1 : -diff + 1,
                    RuleComparison.Greater => onLeft ? diff + 1 : -diff - 1,
                    RuleComparison.NotEqual => 1,
                    _ => onLeft ? diff : -diff,
                };
                Put(address, Number(address)!.Value + delta);
            }
            foreach (var p in set.PartWholes)
            {
                if (Number(p.PartAddress) is not { } part) continue;
                var whole = Number(p.WholeAddress) ?? (p.WholeGeneralAddress is { } g ? Number(g) : null);
                if (whole is { } w && part > w) Put(p.PartAddress, Math.Round(w * 0.8m));
            }
        }
        return figures;
    }

    private static IEnumerable<(string Address, object Value)> RawFigures(EntrySet set, string unitCode, string unitName, bool partial)
    {
        var random = new Random(unitCode.Aggregate(17, (h, c) => unchecked(h * 31 + c)));
        var population = random.Next(7_500, 16_000);
        var general = new Dictionary<string, decimal>
        {
            ["population"] = population,
            ["workingAgePopulation"] = Math.Round(population * 0.62m),
            ["households"] = Math.Round(population / 3.7m),
            ["villages"] = random.Next(5, 13),
            ["agencies"] = random.Next(6, 14),
            ["civilServants"] = random.Next(18, 24),
            ["publicEmployees"] = random.Next(25, 60),
            ["physicalServers"] = random.Next(0, 3),
            ["workstations"] = random.Next(22, 40),
            ["informationSystems"] = random.Next(3, 9),
            ["enterprises"] = random.Next(40, 130),
            ["postalPoints"] = random.Next(1, 4),
            ["digitalBudget"] = random.Next(150, 900),
            ["adminProcedures"] = random.Next(180, 290),
            ["totalBudget"] = random.Next(18, 60),
        };
        general["smes"] = Math.Round(general["enterprises"] * 0.9m);
        var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var g in set.Set.General)
        {
            var address = AssessmentValue.GeneralPrefix + g.Code;
            object? v = g.Type switch
            {
                InputType.Text => DemoText(g.Key, unitName),
                InputType.Date => null,
                InputType.Percent => (decimal)random.Next(50, 95),
                _ => general.TryGetValue(g.Key, out var n) ? n : random.Next(1, 20),
            };
            if (v is null) continue;
            if (v is decimal d) values[address] = d;
            yield return (address, v);
        }

        var criteria = set.Criteria.ToList();
        var limit = partial ? criteria.Count / 3 : criteria.Count;
        foreach (var criterion in criteria.Take(limit))
        {
            var inputs = set.AddressesOf.GetValueOrDefault(criterion.Code) ?? [];
            var pairs = set.PartWholes.Where(p => p.CriterionCode == criterion.Code).ToList();
            // Wholes first, so a part can be a share of its whole.
            foreach (var a in inputs.OrderBy(a => pairs.Any(p => p.PartAddress == a.Address) ? 1 : 0))
            {
                if (a.General is not null) continue; // read from the general information
                object value;
                var pair = pairs.FirstOrDefault(p => p.PartAddress == a.Address);
                if (a.IsList) value = new[] { 2, 2, 3 };
                else if (a.OptionCount > 0) value = random.Next(1, Math.Min(a.OptionCount, 2) + 1);
                else if (a.Type == InputType.Boolean) value = random.NextDouble() < 0.8;
                else if (criterion.Method?.Kind == MethodKind.Direct) value = Math.Round(criterion.Max * (decimal)(0.5 + random.NextDouble() * 0.5), 1);
                else if (a.Type == InputType.Percent) value = (decimal)random.Next(45, 100);
                else if (pair is not null)
                {
                    var whole = values.GetValueOrDefault(pair.WholeAddress,
                        pair.WholeGeneralAddress is { } g ? values.GetValueOrDefault(g, 100) : 100);
                    value = Math.Round(whole * (decimal)(0.45 + random.NextDouble() * 0.5));
                }
                else value = (decimal)random.Next(3, 40);
                if (value is decimal d) values[a.Address] = d;
                yield return (a.Address, value);
            }
        }
    }
}
