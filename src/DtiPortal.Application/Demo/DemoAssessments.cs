using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Demo;

/// <summary>
/// Demo rounds (issue 5): an open 2024 round for Hưng Yên's communes on <c>hung-yen-commune-2024</c> (the three-tier tree,
/// reviewed by the district) and a 2025 round on <c>mic-2361-commune</c> for the communes of the two-tier tree. Some
/// communes get a full set of plausible figures (deterministic, from the unit's code), Như Quỳnh's 2024 assessment is
/// submitted, and Lạc Đạo's 2024 assessment is only partly filled — with a few criteria assigned to its office — so a
/// demo user sees work to do. Beside them a finished 2023 round on the same set and units (issue 15): every commune's
/// assessment submitted, reviewed, approved by the council and published, the round closed and its deadlines passed — the
/// previous round the dashboards and the data-quality checks compare with, public on /ket-qua, and read-only history in
/// "Đánh giá của tôi". Idempotent: a round that exists is left as it is (the finished round is only taken to its end).
/// </summary>
public sealed class DemoAssessments(
    IDbContextFactory<DtiDbContext> dbFactory, SyncBuiltInSets builtIns, RoundSetCache sets, TimeProvider clock,
    SubmitAssessment submit, Reviews.TransitionAssessment transition, Reviews.PublishRound publish, RoundAdmin rounds)
{
    private const string Province = "33";
    private static readonly string[] Full2024 = ["33-VL-NQU", "33-VL-CDA", "33-VL-DDO", "33-VL-LHO"];
    private const string Partial2024 = "33-VL-LDA";
    private static readonly string[] Full2025 = ["33-NQ2025"];
    private const string Partial2025 = "33-LD2025";
    public const string DemoDepartment = "Văn phòng - Thống kê";

    /// <summary>The finished round: the year before the live three-tier round's, on the same set (Quyết định 3047/QĐ-UBND of
    /// 29/12/2022 applies from 2023) and the same seven communes of Văn Lâm, so each commune compares across the two years.</summary>
    public const int PastYear = 2023;
    public const string PastRoundName = "Đánh giá chuyển đổi số cấp xã năm 2023";
    public const string PastRoundClosedReason = "Đợt đánh giá đã kết thúc: kết quả đã được Hội đồng thẩm định công nhận và công bố.";
    /// <summary>How far along the communes were a year earlier: their 2023 criterion figures are this share of the 2024 ones.</summary>
    public const decimal PastProgress = 0.85m;

    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        await builtIns.HandleAsync(ct);
        var created = 0;
        // The finished round first: it is the older one (lists that order rounds by id keep the years in order).
        created += await SeedPastRoundAsync(ct);
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

    /// <summary>The live round's three deadlines for a round whose entry closes <paramref name="entryDays"/> from today.</summary>
    private static (DateOnly Entry, DateOnly Review, DateOnly Council) Deadlines(DateOnly today, int entryDays) =>
        (today.AddDays(entryDays), today.AddDays(entryDays + 14), today.AddDays(entryDays + 28));

    private async Task<int> SeedRoundAsync(string setId, int year, string name, bool hasDistrictTier, string[] full, string partial, string? submitted,
        int entryDays, CancellationToken ct) =>
        await CreateRoundAsync(setId, year, name, hasDistrictTier, full, partial, submitted, entryDays, progress: 1m, ct) is null ? 0 : 1;

    /// <summary>
    /// The finished 2023 round, driven through the real use cases as the seeding process (the system, which acts with every
    /// role): each commune's assessment submitted (SubmitAssessment: completeness, deadline, the values as submitted), taken
    /// and forwarded by the district, taken and approved by the council (TransitionAssessment: the recognised result with its
    /// frozen cohort snapshot and decision number, the history and the audit entries), then the round published
    /// (PublishRound) and closed (RoundAdmin).
    /// <para>
    /// The clock: the use cases refuse a submission after the entry deadline and stamp every step with the clock they share
    /// with the audit trail, so the round is created with the live round's deadlines (ahead of today), runs its workflow
    /// today, and only then has its deadlines dated back a year (<see cref="AssessmentRound.Reschedule"/>). The steps are
    /// therefore dated the day of seeding, the round's calendar a year earlier: what a newcomer needs is a closed round in
    /// the past with genuine results, not a back-dated audit trail.
    /// </para>
    /// <para>
    /// The workflow's notifications to the demo accounts are removed afterwards: they are about a round that ended a year
    /// ago, and a newcomer's inbox (and the reminders) should show the live rounds' work. Resumable: a run stopped half-way
    /// is taken to the end by the next one; a finished round is left untouched.
    /// </para>
    /// </summary>
    private async Task<int> SeedPastRoundAsync(CancellationToken ct)
    {
        const string setId = "hung-yen-commune-2024";
        var created = await CreateRoundAsync(setId, PastYear, PastRoundName, hasDistrictTier: true, full: null, partial: null, submitted: null,
            EntryDays, PastProgress, ct);
        AssessmentRound? round;
        List<(int Id, AssessmentStatus Status)> assessments;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var version = await LatestVersionAsync(db, setId, ct);
            round = await db.AssessmentRounds.AsNoTracking()
                .Where(r => r.Year == PastYear && r.CriteriaSetVersionId == version && db.Units.Any(u => u.Id == r.ProvinceUnitId && u.Code == Province))
                .OrderBy(r => r.Id).FirstOrDefaultAsync(ct);
            if (round is null) return 0;
            assessments = (await db.Assessments.AsNoTracking().Where(a => a.RoundId == round.Id).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.Status }).ToListAsync(ct)).Select(a => (a.Id, a.Status)).ToList();
        }
        var today = Domain.VietnamTime.Today(clock);
        if (round.Status == RoundStatus.Closed && round.PublishedAt is not null && round.CouncilDeadline < today
            && assessments.All(a => a.Status == AssessmentStatus.Published))
            return created is null ? 0 : 1;

        foreach (var (id, status) in assessments) await ApproveAsync(id, status, ct);
        if (assessments.Any(a => a.Status != AssessmentStatus.Published))
            Check(await publish.HandleAsync(round.Id, ct), "công bố kết quả");
        if (round.Status == RoundStatus.Open)
        {
            var closed = await rounds.CloseAsync(round.Id, PastRoundClosedReason, ct);
            if (!closed.Succeeded) throw new InvalidOperationException($"Dữ liệu mẫu: không khóa được đợt {PastYear}: {closed.Error}");
        }
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var tracked = await db.AssessmentRounds.SingleAsync(r => r.Id == round.Id, ct);
            if (tracked.CouncilDeadline >= today)
            {
                // The live three-tier round's calendar, a year earlier.
                var (entry, review, council) = Deadlines(today, EntryDays);
                tracked.Reschedule(entry.AddYears(-1), review.AddYears(-1), council.AddYears(-1));
                await db.SaveChangesAsync(ct);
            }
            var ids = assessments.Select(a => (int?)a.Id).ToList();
            await db.Notifications.Where(n => ids.Contains(n.AssessmentId)).ExecuteDeleteAsync(ct);
        }
        return created is null ? 0 : 1;
    }

    /// <summary>Takes one assessment of the finished round from where it is to Approved, one use case per step.</summary>
    private async Task ApproveAsync(int assessmentId, AssessmentStatus status, CancellationToken ct)
    {
        for (var step = 0; step < 8 && status is not (AssessmentStatus.Approved or AssessmentStatus.Published); step++)
        {
            if (status.AwaitingEntry())
            {
                var submitted = await submit.HandleAsync(assessmentId, Guid.NewGuid(), ct);
                if (!submitted.Submitted)
                    throw new InvalidOperationException($"Dữ liệu mẫu: không nộp được bản đánh giá {assessmentId}: " +
                        string.Join("; ", submitted.Issues.Where(i => i.IsError).Select(i => i.Message)));
                status = AssessmentStatus.Submitted;
                continue;
            }
            var action = status switch
            {
                AssessmentStatus.Submitted => WorkflowAction.StartDistrictReview,
                AssessmentStatus.UnderDistrictReview => WorkflowAction.ForwardToCouncil,
                AssessmentStatus.Forwarded => WorkflowAction.StartCouncilAppraisal,
                _ => WorkflowAction.Approve,
            };
            Check(await transition.HandleAsync(assessmentId, action, null, 0, ct), $"{AssessmentWorkflow.ActionName(action)} bản đánh giá {assessmentId}");
            status = AssessmentWorkflow.Target(action);
        }
    }

    private static void Check(Reviews.ReviewResult result, string what)
    {
        if (!result.Ok) throw new InvalidOperationException($"Dữ liệu mẫu: không {what} được: {result.Error}");
    }

    private static Task<int?> LatestVersionAsync(DtiDbContext db, string setId, CancellationToken ct) =>
        db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId).OrderByDescending(v => v.Version).Select(v => (int?)v.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Creates a round with its assessments and figures (<paramref name="full"/>: the communes with every figure, null for all
    /// of them), unless one of the province, the year and the set's version exists. Returns the new round, or null.
    /// </summary>
    private async Task<AssessmentRound?> CreateRoundAsync(string setId, int year, string name, bool hasDistrictTier, string[]? full, string? partial,
        string? submitted, int entryDays, decimal progress, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var province = await db.Units.AsNoTracking().Where(u => u.Code == Province).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
        var version = await LatestVersionAsync(db, setId, ct);
        if (province is null || version is null) return null;
        if (await db.AssessmentRounds.AnyAsync(r => r.ProvinceUnitId == province && r.Year == year && r.CriteriaSetVersionId == version, ct)) return null;

        var set = await sets.GetAsync(db, version.Value, ct);
        var units = await RoundAdmin.UnitsOfRoundAsync(db, province.Value, UnitLevel.Commune, year, ct);
        var codes = await db.Units.AsNoTracking().Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Code, ct);
        var names = await db.Units.AsNoTracking().Where(u => units.Contains(u.Id)).ToDictionaryAsync(u => u.Code, u => u.Kind.DisplayName() + " " + u.Name, ct);
        var now = clock.GetUtcNow();
        var (entry, review, council) = Deadlines(Domain.VietnamTime.Today(clock), entryDays);
        var round = new AssessmentRound(year, name, version.Value, province.Value, UnitLevel.Commune, entry, review, council, hasDistrictTier, now, "demo");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.AssessmentRounds.Add(round);
        var assessments = units.ToDictionary(u => codes[u], u => RoundAdmin.AddAssessment(db, round, u, set));
        await db.SaveChangesAsync(ct);

        foreach (var (code, assessment) in assessments)
        {
            var isPartial = code == partial;
            if (!isPartial && full is not null && !full.Contains(code)) continue;
            foreach (var (address, value) in Figures(set, code, names[code], isPartial, progress))
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
                var submittedValues = Figures(set, code, names[code], isPartial, progress).Select(f => (f.Item1, ValueText.ToJson(f.Item2)));
                db.WorkflowSteps.Add(new Reviews.WorkflowStep(assessment.Id, assessment.UnitId, nameof(Domain.Reviews.WorkflowAction.Submit),
                    AssessmentStatus.Draft, AssessmentStatus.Submitted, null, null, assessment.ReviewCycle, now, null, "Cán bộ xã (dữ liệu mẫu)",
                    Reviews.ReviewQueries.ValuesSnapshot(submittedValues)));
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return round;
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
    /// and the first third of the criteria only. <paramref name="progress"/> below 1 gives the unit's figures of an earlier year.
    /// </summary>
    internal static IEnumerable<(string Address, object Value)> Figures(EntrySet set, string unitCode, string unitName, bool partial, decimal progress = 1m)
    {
        var figures = RawFigures(set, unitCode, unitName, partial).ToList();
        if (progress != 1m)
        {
            // An earlier year: every criterion figure (not the general information) the given share of this year's, rounded as
            // it was typed. Parts and wholes shrink alike, so a part stays within its whole; percentages stay within 100.
            figures = [.. figures.Select(f => f.Address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal) || f.Value is not decimal d
                ? f
                : (f.Address, (object)Math.Round(d * progress, d == decimal.Truncate(d) ? 0 : 1, MidpointRounding.AwayFromZero)))];
        }
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
