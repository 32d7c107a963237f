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
/// The autosave of one field (issue 5): parse what was typed (<see cref="ValueText"/>), refuse with a Vietnamese message
/// what scoring could not use or what is implausible, and store it in one small transaction — or report a conflict when
/// someone else saved the field since the caller read it (<paramref name="expectedVersion"/>), never overwriting silently.
/// No set is re-read (<see cref="RoundSetCache"/>); the value's row is the only one written (plus its audit entry).
/// </summary>
public sealed class SaveValue(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, EntrySettings settings, TimeProvider clock)
{
    public const string Action = "Nhập số liệu";

    public async Task<SaveValueResult> HandleAsync(int assessmentId, string address, string? rawText, int expectedVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        address = (address ?? "").Trim();
        if (!set.Specs.TryGetValue(address, out var spec))
            return SaveValueResult.Invalid($"Ô nhập “{address}” không có trong bộ chỉ số của đợt này.");

        if (AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen) is { } why) return SaveValueResult.Invalid(why);
        var isGeneral = !set.CriterionOf.TryGetValue(address, out var criterion);
        // After a return only the criteria sent back may change (issue 6); general information only when all was returned.
        if (isGeneral ? !assessment.CanChangeGeneral : !assessment.CanChangeCriterion(criterion!))
            return SaveValueResult.Invalid(isGeneral ? Domain.Reviews.AppraisalRules.GeneralNotReturnedMessage : Domain.Reviews.AppraisalRules.NotReturnedMessage);
        switch (access.Role)
        {
            case EntryRole.Viewer:
                return SaveValueResult.Invalid("Bạn chỉ có quyền xem, không được nhập số liệu.");
            case EntryRole.Department when isGeneral:
                return SaveValueResult.Invalid("Thông tin chung do cán bộ xã nhập.");
            case EntryRole.Department:
                var department = await access.DepartmentAsync(db, ct);
                var assigned = await db.CriterionAssignments.AsNoTracking()
                    .Where(x => x.AssessmentId == assessmentId && x.CriterionCode == criterion).Select(x => x.Department).SingleOrDefaultAsync(ct);
                if (!CriterionAssignment.SameDepartment(assigned, department))
                    return SaveValueResult.Invalid($"Tiêu chí {criterion} không được giao cho phòng/ban của bạn.");
                break;
        }

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

        var json = ValueText.ToJson(parsed.Value);
        if (row is not null && row.ValueJson == json) return SaveValueResult.Ok(row.Version); // nothing changed (a repeated autosave)
        if (row is null)
        {
            if (json is null) return SaveValueResult.Ok(0); // clearing a value never entered
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
        return SaveValueResult.Ok(row.Version);
    }

    private static string? PartWholeProblem(string address, decimal value, List<PartWhole> pairs, List<AssessmentValue> rows, EntrySet set)
    {
        decimal? Stored(string? a)
        {
            var json = a is null ? null : rows.SingleOrDefault(r => r.Address == a)?.ValueJson;
            return ValueText.FromJson(json, set.Specs.GetValueOrDefault(a ?? "")) is decimal d ? d : null;
        }
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
        var at = row.UpdatedAt.ToOffset(TimeSpan.FromHours(7)).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
        return SaveValueResult.Conflicted(current, $"Giá trị này vừa được {who} sửa lúc {at}: {shown}. Hãy xem lại trước khi lưu đè.");
    }
}
