using System.Globalization;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace DtiPortal.Application.Assessments;

/// <summary>Limits of data entry (configuration section Assessments).</summary>
public sealed class EntrySettings
{
    /// <summary>Assessments:MaxValue — a figure above this is refused as absurd (default 1e12).</summary>
    public decimal MaxValue { get; init; } = ValueText.DefaultMaxValue;

    public static EntrySettings From(IConfiguration? configuration) =>
        decimal.TryParse(configuration?["Assessments:MaxValue"], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) && max > 0
            ? new EntrySettings { MaxValue = max }
            : new EntrySettings();
}

/// <summary>
/// Saving one field as the entry page's autosave sees it: <see cref="SaveValue"/> implements it; the page's form
/// (<c>EntryForm</c>) depends only on this, so its state machine is tested without a database.
/// </summary>
public interface ISaveValue
{
    Task<SaveValueResult> HandleAsync(int assessmentId, string address, string? rawText, int expectedVersion, CancellationToken ct = default);
}

/// <summary>
/// The autosave of one field (issue 5): parse what was typed (<see cref="ValueText"/>), refuse with a Vietnamese message
/// what scoring could not use or what is implausible, and store it in one small transaction — or report a conflict when
/// someone else saved the field since the caller read it (<paramref name="expectedVersion"/>), never overwriting silently.
/// No set is re-read (<see cref="RoundSetCache"/>); the value's row is the only one written (plus its audit entry).
/// </summary>
public sealed class SaveValue(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, EntrySettings settings, TimeProvider clock) : ISaveValue
{
    public const string Action = "Nhập số liệu";

    public async Task<SaveValueResult> HandleAsync(int assessmentId, string address, string? rawText, int expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One connection for the whole call: the tenancy scope is written once (TenancyConnectionInterceptor), not before each query.
        await db.Database.OpenConnectionAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        address = (address ?? "").Trim();
        if (!set.Specs.TryGetValue(address, out var spec))
            return SaveValueResult.Invalid($"Ô nhập “{address}” không có trong bộ chỉ số của đợt này.");

        var deadline = await AssessmentDeadlines.DecideAsync(db, assessment, round, clock, ct);
        if (AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen, deadline) is { } why) return SaveValueResult.Invalid(why);
        var criterion = set.CriterionOf.GetValueOrDefault(address);
        string? department = null, assigned = null;
        if (access.Role == EntryRole.Department && criterion is not null && assessment.CanChangeCriterion(criterion))
        {
            department = await access.DepartmentAsync(db, ct);
            assigned = await db.CriterionAssignments.AsNoTracking()
                .Where(x => x.AssessmentId == assessmentId && x.CriterionCode == criterion).Select(x => x.Department).SingleOrDefaultAsync(ct);
        }
        if (WhyCannotChange(assessment, access.Role, criterion, assigned, department) is { } refused) return SaveValueResult.Invalid(refused);

        var parsed = ValueText.Parse(spec, rawText, settings.MaxValue, round.Year);
        if (!parsed.Ok) return SaveValueResult.Invalid(parsed.Error!);

        // The row itself and, for a part/whole pair, the other side (and the general item a whole defaults to).
        var pairs = set.PairsOf(address).ToList();
        var needed = pairs.SelectMany(p => new[] { p.PartAddress, p.WholeAddress, p.WholeGeneralAddress }).OfType<string>().Append(address).Distinct().ToList();
        var rows = await db.AssessmentValues.Where(v => v.AssessmentId == assessmentId && needed.Contains(v.Address)).ToListAsync(ct);
        var row = rows.SingleOrDefault(r => r.Address == address);
        if (row is not null && row.Version != expectedVersion) return await ConflictAsync(db, row, set, ct);

        if (parsed.Value is decimal number && PartWholeProblem(address, number, pairs, rows, set) is { } problem)
            return SaveValueResult.Invalid(problem);

        // The set's validation rules that read this field (spec §10): an error refuses the value, a warning is reported.
        IReadOnlyList<string> warnings = [];
        var rules = set.Set.ValidationRules.Where(r => r.Reads(address)).ToList();
        if (rules.Count > 0)
        {
            var all = await StoredValues.LoadAsync(db, [assessmentId], ct);
            var broken = RulesBroken(address, parsed.Value, rules, all, set);
            if (broken.FirstOrDefault(v => v.Severity == Domain.Criteria.RuleSeverity.Error) is { } error)
                return SaveValueResult.Invalid(FieldMessage(spec, error));
            warnings = broken.Select(v => FieldMessage(spec, v)).ToList();
        }

        var json = ValueText.ToJson(parsed.Value);
        // Nothing changed (a repeated autosave)? Compare in one serialisation: jsonb hands text back unescaped ("ễ", not \u1EC5)
        // and lists reformatted ("[3, 3, 2]"), so the stored text is read and written again before comparing.
        if (row is not null && ValueText.ToJson(ValueText.FromJson(row.ValueJson, spec)) == json) return SaveValueResult.Ok(row.Version) with { Warnings = warnings };
        if (row is null)
        {
            if (json is null) return SaveValueResult.Ok(0) with { Warnings = warnings }; // clearing a value never entered
            row = new AssessmentValue(assessmentId, assessment.UnitId, address);
            db.AssessmentValues.Add(row);
        }
        row.Set(json, clock.GetUtcNow(), access.Scope.UserId, access.Scope.UserName);
        try
        {
            // Lock the assessment's row for the write (FOR SHARE): a submit committing meanwhile either waits for this save
            // (and submits it) or has already won, and then the value is refused — never a value after submission.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var status = await db.Database.SqlQuery<string>($"select status as \"Value\" from assessments where id = {assessmentId} for share").SingleAsync(ct);
            if (!Enum.TryParse<AssessmentStatus>(status, out var now) || now is not (AssessmentStatus.Draft or AssessmentStatus.Returned))
                return SaveValueResult.Invalid(AssessmentRules.ReadOnlyMessage);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone saved the same field between our read and our write: show them, do not overwrite.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var current = await fresh.AssessmentValues.AsNoTracking().SingleAsync(v => v.AssessmentId == assessmentId && v.Address == address, ct);
            return await ConflictAsync(fresh, current, set, ct);
        }
        return SaveValueResult.Ok(row.Version) with { Warnings = warnings };
    }

    /// <summary>
    /// The rules among <paramref name="rules"/> broken once <paramref name="address"/> holds <paramref name="value"/>, the other
    /// figures as stored (a missing figure leaves a rule unevaluated). Shared with the spreadsheet import.
    /// </summary>
    internal static IReadOnlyList<Domain.Criteria.RuleViolation> RulesBroken(
        string address, object? value, IReadOnlyList<Domain.Criteria.ValidationRule> rules, IEnumerable<StoredValues.Row> stored, EntrySet set)
    {
        var unit = StoredValues.ToUnitValues("", stored.Where(r => r.Address != address), set);
        var values = new Dictionary<string, object?>(unit.Values, StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(unit.General ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        if (address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)) general[address[AssessmentValue.GeneralPrefix.Length..]] = value;
        else values[address] = value;
        var withNew = new Domain.Scoring.UnitValues("", values, general);
        return Domain.Criteria.ValidationRules.Evaluate(rules, reference => Domain.Criteria.ValidationRules.ValueOf(reference, withNew));
    }

    /// <summary>The message naming the field: "Ô “…” (3.1.a): message (quy tắc …; 12.000 > 10.000)".</summary>
    internal static string FieldMessage(ValueSpec spec, Domain.Criteria.RuleViolation v) =>
        spec.Address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)
            ? $"Ô “{spec.Label}” (thông tin chung mục {spec.Address[AssessmentValue.GeneralPrefix.Length..]}): {v.Describe()}"
            : $"Ô “{spec.Label}” ({spec.Address}): {v.Describe()}";

    /// <summary>
    /// Why the current user may not change a value of <paramref name="criterion"/> (null: general information), or null when
    /// they may. After a return only the criteria sent back may change (issue 6), general information only when everything
    /// was returned; viewers change nothing; a department officer only its assigned criteria (<paramref name="assignedDepartment"/>,
    /// the stored assignment) and never the general information. Shared with the spreadsheet import (Spreadsheets/ImportEntryTemplate).
    /// </summary>
    internal static string? WhyCannotChange(Assessment assessment, EntryRole role, string? criterion, string? assignedDepartment, string? userDepartment)
    {
        var isGeneral = criterion is null;
        if (isGeneral ? !assessment.CanChangeGeneral : !assessment.CanChangeCriterion(criterion!))
            return isGeneral ? Domain.Reviews.AppraisalRules.GeneralNotReturnedMessage : Domain.Reviews.AppraisalRules.NotReturnedMessage;
        return role switch
        {
            EntryRole.Viewer => ViewerMessage,
            EntryRole.Department when isGeneral => "Thông tin chung do cán bộ xã nhập.",
            EntryRole.Department when !CriterionAssignment.SameDepartment(assignedDepartment, userDepartment) =>
                $"Tiêu chí {criterion} không được giao cho phòng/ban của bạn.",
            _ => null,
        };
    }

    internal const string ViewerMessage = "Bạn chỉ có quyền xem, không được nhập số liệu.";

    private static string? PartWholeProblem(string address, decimal value, List<PartWhole> pairs, List<AssessmentValue> rows, EntrySet set) =>
        PartWholeProblem(address, value, pairs, a =>
        {
            var json = a is null ? null : rows.SingleOrDefault(r => r.Address == a)?.ValueJson;
            return ValueText.FromJson(json, set.Specs.GetValueOrDefault(a ?? "")) is decimal d ? d : null;
        });

    /// <summary>
    /// The part-above-whole refusal for a number typed at <paramref name="address"/>, the other side read through
    /// <paramref name="stored"/> (the whole as scoring reads it: the criterion's own value, else the general item).
    /// Shared with the spreadsheet import, which reads the other side from the values as they will be after the import.
    /// </summary>
    internal static string? PartWholeProblem(string address, decimal value, IEnumerable<PartWhole> pairs, Func<string?, decimal?> stored)
    {
        decimal? Stored(string? a) => a is null ? null : stored(a);
        foreach (var p in pairs)
        {
            // The whole as scoring will read it: the criterion's own value, else the general item it defaults to.
            decimal? part, whole;
            if (address == p.PartAddress)
            {
                part = value;
                whole = Stored(p.WholeAddress) ?? Stored(p.WholeGeneralAddress);
            }
            else if (address == p.WholeAddress || (address == p.WholeGeneralAddress && Stored(p.WholeAddress) is null))
            {
                part = Stored(p.PartAddress);
                whole = value;
            }
            else continue;
            if (part is { } x && whole is { } y && x > y)
                return $"Tiêu chí {p.CriterionCode}: “{p.PartLabel}” ({ValueText.Format(x)}) không thể lớn hơn “{p.WholeLabel}” ({ValueText.Format(y)}).";
        }
        return null;
    }

    private static async Task<SaveValueResult> ConflictAsync(DtiDbContext db, AssessmentValue row, EntrySet set, CancellationToken ct)
    {
        var who = row.UpdatedBy is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == row.UpdatedBy).Select(u => u.FullName).SingleOrDefaultAsync(ct);
        who = string.IsNullOrWhiteSpace(who) ? row.UpdatedByName ?? "người khác" : who;
        var current = new StoredValue(row.Address, ValueText.FromJson(row.ValueJson, set.Specs.GetValueOrDefault(row.Address)), row.Version, row.UpdatedAt, who);
        var shown = current.Value is null ? "(đã xóa)" : ValueText.Display(current.Value);
        var at = Domain.VietnamTime.DateTime(row.UpdatedAt);
        return SaveValueResult.Conflicted(current, $"Giá trị này vừa được {who} sửa lúc {at}: {shown}. Hãy xem lại trước khi lưu đè.");
    }
}
