using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// A validation rule of the set that the assessment's figures break (spec §10), with the unit's explanation when it has
/// one. <see cref="Addresses"/> are the stored addresses the rule reads (<c>3.1.a</c>, <c>general:1.4</c>) and
/// <see cref="Criteria"/> the criteria they belong to, so a page can show the warning beside the figure.
/// </summary>
public sealed record RuleCheck(
    string Code, string Rule, string Message, RuleSeverity Severity, string Detail,
    IReadOnlyList<string> Addresses, IReadOnlyList<string> Criteria,
    string? Explanation, string? ExplainedBy, DateTimeOffset? ExplainedAt, string? ExplainedDetail)
{
    public bool IsWarning => Severity == RuleSeverity.Warning;
    /// <summary>A warning without an explanation blocks submission.</summary>
    public bool NeedsExplanation => IsWarning && string.IsNullOrWhiteSpace(Explanation);
    /// <summary>The sentence a user reads: message, rule and the figures compared.</summary>
    public string Describe() => $"{Message} (quy tắc {Code}: {Rule}; {Detail})";
}

/// <summary>The rules an assessment's stored figures break, for the entry page, the review page and submission.</summary>
public sealed class AssessmentRuleChecks(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access)
{
    public const string Action = "Xem cảnh báo số liệu";

    public async Task<IReadOnlyList<RuleCheck>> HandleAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, _, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        return await ComputeAsync(db, assessment, set, ct);
    }

    internal static async Task<List<RuleCheck>> ComputeAsync(DtiDbContext db, Assessment assessment, EntrySet set, CancellationToken ct)
    {
        if (set.Set.ValidationRules.Count == 0) return [];
        var rows = await StoredValues.LoadAsync(db, [assessment.Id], ct);
        var broken = ValidationRules.Evaluate(set.Set, StoredValues.ToUnitValues("", rows, set));
        if (broken.Count == 0) return [];
        var explanations = await db.RuleExplanations.AsNoTracking().Where(x => x.AssessmentId == assessment.Id)
            .ToDictionaryAsync(x => x.RuleCode, StringComparer.Ordinal, ct);
        return broken.Select(v =>
        {
            var addresses = AddressesOf(v.Rule);
            var criteria = addresses.Select(a => set.CriterionOf.GetValueOrDefault(a)).OfType<string>().Distinct().ToList();
            var e = explanations.GetValueOrDefault(v.Code);
            return new RuleCheck(v.Code, v.Rule.Text, v.Message, v.Severity, v.Detail, addresses, criteria,
                e?.Text, e?.UpdatedByName, e?.UpdatedAt, e?.Detail);
        }).ToList();
    }

    /// <summary>The stored addresses a rule reads: the input itself, or the general item for a general reference.</summary>
    internal static List<string> AddressesOf(ValidationRule rule) =>
        rule.References.Select(r => r.Address ?? AssessmentValue.GeneralPrefix + r.General!.Code).Distinct().ToList();
}

/// <summary>
/// Stores the unit's explanation (giải trình) of a broken warning rule. Only while the unit may enter figures, only by
/// those who may enter them, only for a warning its figures break now; an empty text is refused (nothing changes).
/// </summary>
public sealed class ExplainRuleWarning(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, TimeProvider clock)
{
    public const string Action = "Giải trình cảnh báo số liệu";

    public async Task<Result> HandleAsync(int assessmentId, string ruleCode, string? text, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        if (AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen) is { } why) return Result.Fail(why);
        if (access.Role == EntryRole.Viewer) return Result.Fail(SaveValue.ViewerMessage);
        var rule = set.Set.ValidationRules.FirstOrDefault(r => r.Code == ruleCode);
        if (rule is null) return Result.Fail($"Bộ chỉ số của đợt này không có quy tắc “{ruleCode}”.");
        if (rule.Severity != RuleSeverity.Warning)
            return Result.Fail($"Quy tắc {rule.Code} là lỗi, không giải trình được: hãy sửa số liệu.");
        text = (text ?? "").Trim();
        if (text.Length == 0) return Result.Fail($"Cảnh báo {rule.Code}: nội dung giải trình không được để trống.");
        if (text.Length > RuleExplanation.MaxLength)
            return Result.Fail($"Cảnh báo {rule.Code}: nội dung giải trình dài {text.Length} ký tự, tối đa {RuleExplanation.MaxLength}.");

        var check = (await AssessmentRuleChecks.ComputeAsync(db, assessment, set, ct)).FirstOrDefault(c => c.Code == rule.Code);
        if (check is null) return Result.Fail($"Cảnh báo {rule.Code} hiện không còn: số liệu đã thỏa quy tắc, không cần giải trình.");

        var row = await db.RuleExplanations.SingleOrDefaultAsync(x => x.AssessmentId == assessmentId && x.RuleCode == rule.Code, ct);
        if (row is null)
        {
            row = new RuleExplanation(assessmentId, assessment.UnitId, rule.Code);
            db.RuleExplanations.Add(row);
        }
        row.Explain(text, check.Detail, clock.GetUtcNow(), access.Scope.UserId, access.Scope.UserName);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            return Result.Conflicted($"Cảnh báo {rule.Code} vừa được người khác giải trình; hãy tải lại trang để xem trước khi sửa.");
        }
        return Result.Success();
    }
}
