using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Criteria.Studio;

/// <summary>One typed sample value that could not be read, with its field's address.</summary>
public sealed record TrialFieldError(string Address, string Message);

/// <summary>A criterion scored on sample figures: its points, the engine's explanation, the level it meets, or the field errors.</summary>
public sealed record CriterionTrial(string Code, decimal Points, decimal Max, string Explanation, int? LevelMet, IReadOnlyList<string> Flags,
    IReadOnlyList<TrialFieldError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>A round the draft can be tried on.</summary>
public sealed record TrialRound(int Id, int Year, string Name, string ProvinceName, string SetId, int SetVersion, int AssessmentCount)
{
    public string Display => $"{Name} ({ProvinceName}, {SetId} v{SetVersion}, {AssessmentCount} đơn vị)";
}

/// <summary>One unit's total and level under the round's set and under the draft.</summary>
public sealed record UnitComparison(int AssessmentId, string UnitName, decimal RoundTotal, int? RoundLevel, decimal DraftTotal, int? DraftLevel)
{
    public decimal Change => DraftTotal - RoundTotal;
}

/// <summary>An input the draft asks for that no unit of the round has a value for.</summary>
public sealed record MissingInput(string Address, string Label, string CriterionCode);

/// <summary>The draft scored on a past round's real figures.</summary>
public sealed record RoundTrial(
    bool Ok, string Message, IReadOnlyList<UnitComparison> Units, IReadOnlyList<UnitComparison> LargestMovers,
    IReadOnlyList<MissingInput> MissingInputs, IReadOnlyList<string> DroppedValues)
{
    public static RoundTrial Fail(string message) => new(false, message, [], [], [], []);
}

/// <summary>
/// "Try it" in the studio (issue 14): score one criterion of a draft on sample figures, and score the whole draft on a past
/// round's real figures (inputs matched by code and letter, general information by key) beside the round's own set.
/// Nothing is stored; trying a draft on a round is audited (it reads every unit's figures of the round).
/// </summary>
public sealed class StudioTrial(IDbContextFactory<DtiDbContext> dbFactory, AccessGuard guard, RoundSetCache roundSets, IAuditLog audit)
{
    /// <summary>Scores <paramref name="code"/> on the typed sample values (address → text as typed; general items by "general:CODE").</summary>
    public static CriterionTrial TryCriterion(CriteriaSet set, string code, IReadOnlyDictionary<string, string?> typed, int year)
    {
        var node = set.Find(code) ?? throw new ArgumentException($"Không có tiêu chí {code} trong bộ chỉ số.", nameof(code));
        var entry = new EntrySet(0, set);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(StringComparer.Ordinal);
        var errors = new List<TrialFieldError>();
        foreach (var (address, text) in typed)
        {
            if (!entry.Specs.TryGetValue(address, out var spec)) continue;
            var parsed = ValueText.Parse(spec, text, ValueText.DefaultMaxValue, year);
            if (!parsed.Ok) { errors.Add(new TrialFieldError(address, parsed.Error!)); continue; }
            if (parsed.Value is null) continue;
            var value = ValueText.FromJson(ValueText.ToJson(parsed.Value), spec); // the engine's types, exactly as stored values
            if (address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal))
                general[address[AssessmentValue.GeneralPrefix.Length..]] = value;
            else values[address] = value;
        }
        if (errors.Count > 0) return new CriterionTrial(code, 0, node.Max, "", null, [], errors);
        try
        {
            var result = ScoringEngine.ScoreOne(set, new UnitValues("thu", values, general)).Node(code);
            return new CriterionTrial(code, result.Points, result.Max, result.Explanation, result.LevelMet, result.Flags, []);
        }
        catch (ScoringInputException ex)
        {
            return new CriterionTrial(code, 0, node.Max, "", null, [], ex.Errors.Select(e => new TrialFieldError("", e)).ToList());
        }
    }

    /// <summary>The rounds of the draft's level in the admin's scope (every round for a system admin).</summary>
    public async Task<IReadOnlyList<TrialRound>> RoundsAsync(string level, CancellationToken ct = default)
    {
        await guard.DemandAsync("Soạn bộ chỉ số: xem các đợt để chấm thử", null, Roles.Admins, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rounds = db.AssessmentRounds.AsNoTracking().Where(r => r.LevelCode == level);
        if (!db.Scope.IsUnrestricted)
        {
            var visible = db.Scope.UnitIds.ToArray();
            rounds = rounds.Where(r => visible.Contains(r.ProvinceUnitId));
        }
        var summaries = await RoundAdmin.SummariesAsync(db, rounds, ct);
        return summaries.Select(r => new TrialRound(r.Id, r.Year, r.Name, r.ProvinceName, r.SetId, r.SetVersion, r.AssessmentCount)).ToList();
    }

    /// <summary>Scores every unit of the round under the round's set and under the draft.</summary>
    public async Task<RoundTrial> ScoreOnRoundAsync(CriteriaSet draft, int roundId, int moversShown = 5, CancellationToken ct = default)
    {
        await guard.DemandAsync("Soạn bộ chỉ số: chấm thử trên số liệu của đợt", null, Roles.Admins, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !db.Scope.CanSee(round.ProvinceUnitId))
            return RoundTrial.Fail("Không tìm thấy đợt đánh giá này trong phạm vi quản lý của bạn.");
        if (round.LevelCode != draft.Level)
            return RoundTrial.Fail($"Đợt này đánh giá {CriteriaQueries.LevelName(round.LevelCode).ToLowerInvariant()}, bộ chỉ số đang soạn dành cho {CriteriaQueries.LevelName(draft.Level).ToLowerInvariant()}.");

        var roundSet = await roundSets.GetAsync(db, round.CriteriaSetVersionId, ct);
        var draftEntry = new EntrySet(0, draft);
        var assessments = await (from a in db.Assessments.AsNoTracking()
                                 join u in db.Units on a.UnitId equals u.Id
                                 where a.RoundId == roundId
                                 orderby u.Name
                                 select new { a.Id, u.Name }).ToListAsync(ct);
        if (assessments.Count == 0) return RoundTrial.Fail("Đợt này chưa có đơn vị nào trong phạm vi của bạn.");
        var rows = (await StoredValues.LoadAsync(db, assessments.Select(a => a.Id).ToList(), ct)).ToLookup(r => r.AssessmentId);

        var keyOfRoundGeneral = roundSet.Set.General.ToDictionary(g => g.Code, g => g.Key, StringComparer.Ordinal);
        var draftGeneralKeys = draft.General.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var dropped = new SortedSet<string>(StringComparer.Ordinal);
        var underRound = new List<UnitValues>();
        var underDraft = new List<UnitValues>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in assessments)
        {
            var unit = a.Id.ToString(CultureInfo.InvariantCulture);
            var stored = StoredValues.ToUnitValues(unit, rows[a.Id], roundSet);
            underRound.Add(stored);
            // Inputs by code and letter (the same address in both sets); general information by key, so renumbering it is harmless.
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (address, value) in stored.Values)
            {
                if (draftEntry.Specs.TryGetValue(address, out var spec) && Fits(spec, value)) { values[address] = value; present.Add(address); }
                else dropped.Add(address);
            }
            var general = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (code, value) in stored.General ?? new Dictionary<string, object?>())
            {
                if (keyOfRoundGeneral.TryGetValue(code, out var key) && draftGeneralKeys.Contains(key)) { general[key] = value; present.Add("general:" + key); }
            }
            underDraft.Add(new UnitValues(unit, values, general));
        }

        CohortResult before, after;
        try
        {
            before = ScoringEngine.Score(roundSet.Set, underRound);
            after = ScoringEngine.Score(draft, underDraft);
        }
        catch (ScoringInputException ex)
        {
            return RoundTrial.Fail("Số liệu của đợt không dùng được với bộ chỉ số đang soạn: " + string.Join("; ", ex.Errors.Take(5)));
        }

        var units = assessments.Select(a =>
        {
            var unit = a.Id.ToString(CultureInfo.InvariantCulture);
            var b = before.Unit(unit);
            var d = after.Unit(unit);
            return new UnitComparison(a.Id, a.Name, b.Total, b.Level, d.Total, d.Level);
        }).ToList();
        var movers = units.Where(u => u.Change != 0 || u.RoundLevel != u.DraftLevel)
            .OrderByDescending(u => Math.Abs(u.Change)).Take(moversShown).ToList();
        var missing = draft.ValueAddresses
            .Where(v => v.General is { } g ? !present.Contains("general:" + g.Key) : !present.Contains(v.Address))
            .Select(v => v.General is { } g ? new MissingInput("general:" + g.Code, g.Label, v.Code) : new MissingInput(v.Address, v.Label, v.Code))
            .DistinctBy(m => m.Address).ToList();

        await audit.WriteAsync(new AuditEvent("Chấm thử bộ chỉ số trên số liệu của đợt", "AssessmentRound", roundId.ToString(CultureInfo.InvariantCulture),
            round.ProvinceUnitId, Detail: $"{draft.Id} v{draft.Version} trên “{round.Name}”: {units.Count} đơn vị."), ct);
        return new RoundTrial(true, $"Đã chấm thử {units.Count} đơn vị của “{round.Name}”.", units, movers, missing, [.. dropped]);
    }

    /// <summary>A stored value is kept for the draft only when the draft's input accepts it (a choice within its options, a list where a list is asked).</summary>
    private static bool Fits(ValueSpec spec, object? value) => value switch
    {
        null => false,
        int[] or IEnumerable<int> when value is not string => spec.IsList,
        bool => spec.Type == Domain.Criteria.InputType.Boolean,
        int i when spec.OptionCount > 0 => i >= 1 && i <= spec.OptionCount,
        string => spec.Type is Domain.Criteria.InputType.Text or Domain.Criteria.InputType.Date,
        _ => !spec.IsList && spec.OptionCount == 0 && spec.Type is not (Domain.Criteria.InputType.Boolean or Domain.Criteria.InputType.Text or Domain.Criteria.InputType.Date),
    };
}
