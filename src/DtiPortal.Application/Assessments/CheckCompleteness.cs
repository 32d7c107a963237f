using DtiPortal.Application.Data;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// What is still missing before submission (issue 5). Errors block submission: a value a visible criterion reads is
/// missing, or a criterion that requires evidence (<c>evidenceRequired</c>) has none. Warnings do not: general information
/// no criterion reads, and scoring flags that ask for a second look (ratio above 100 %, division by zero, …).
/// </summary>
public sealed class CheckCompleteness(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, ScoreAssessment score, IServiceProvider services)
{
    public const string Action = "Kiểm tra bản đánh giá";

    public async Task<IReadOnlyList<CompletenessIssue>> HandleAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var assignments = await db.CriterionAssignments.AsNoTracking().Where(x => x.AssessmentId == assessmentId)
            .ToDictionaryAsync(x => x.CriterionCode, x => x.Department, ct);
        var permissions = await access.PermissionsAsync(db, assessment, round, set, assignments, ct);
        return await ComputeAsync(db, assessment, round, set, permissions.Visible, includeGeneral: permissions.Role != EntryRole.Department, ct);
    }

    internal async Task<List<CompletenessIssue>> ComputeAsync(
        DtiDbContext db, Assessment assessment, AssessmentRound round, EntrySet set, IReadOnlySet<string> visible, bool includeGeneral, CancellationToken ct)
    {
        var stored = (await StoredValues.LoadAsync(db, [assessment.Id], ct)).Where(r => r.ValueJson is not null)
            .Select(r => r.Address).ToHashSet(StringComparer.Ordinal);
        var result = await score.ScoreAsync(db, assessment, round, set, ct);
        var withEvidence = services.GetService<IEvidenceLister>() is { } lister
            ? (await lister.ListAsync(assessment.Id, ct)).Select(e => e.CriterionCode).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
        var issues = Compute(set, visible, includeGeneral, stored, result, withEvidence);
        issues.AddRange(RuleIssues(await AssessmentRuleChecks.ComputeAsync(db, assessment, set, ct), visible, includeGeneral));
        return issues;
    }

    /// <summary>
    /// Broken validation rules (spec §10) that the caller's part of the assessment touches: an error rule (figures stored
    /// before the rule, or by an import) and an unexplained warning block submission; an explained warning is shown only.
    /// </summary>
    internal static IEnumerable<CompletenessIssue> RuleIssues(IEnumerable<RuleCheck> checks, IReadOnlySet<string> visible, bool includeGeneral)
    {
        foreach (var c in checks)
        {
            var mine = c.Criteria.Any(visible.Contains) || (includeGeneral && c.Addresses.Any(a => a.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)));
            if (!mine) continue;
            var where = c.Criteria.Count > 0 ? c.Criteria[0] : "";
            if (!c.IsWarning) yield return new CompletenessIssue(where, $"Lỗi số liệu {c.Code}: {c.Describe()} Hãy sửa số liệu.", true);
            else if (c.NeedsExplanation) yield return new CompletenessIssue(where, $"Cảnh báo {c.Code} chưa được giải trình: {c.Describe()}", true);
            else yield return new CompletenessIssue(where, $"Cảnh báo {c.Code} đã giải trình: {c.Describe()}", false);
        }
    }

    internal static List<CompletenessIssue> Compute(
        EntrySet set, IReadOnlySet<string> visible, bool includeGeneral, IReadOnlySet<string> stored, UnitResult result, IReadOnlySet<string> withEvidence)
    {
        var errors = new List<CompletenessIssue>();
        var warnings = new List<CompletenessIssue>();
        var readByCriteria = new HashSet<string>(StringComparer.Ordinal);
        foreach (var criterion in set.Criteria)
        {
            foreach (var a in set.AddressesOf.GetValueOrDefault(criterion.Code) ?? [])
                if (a.General is { } g) readByCriteria.Add(AssessmentValue.GeneralPrefix + g.Code);
            if (!visible.Contains(criterion.Code)) continue;

            foreach (var a in set.AddressesOf.GetValueOrDefault(criterion.Code) ?? [])
            {
                var general = a.General is { } g ? AssessmentValue.GeneralPrefix + g.Code : null;
                if (stored.Contains(a.Address) || (general is not null && stored.Contains(general))) continue;
                errors.Add(new CompletenessIssue(criterion.Code, general is null
                    ? $"Tiêu chí {criterion.Code}: chưa nhập “{a.Label}”."
                    : $"Tiêu chí {criterion.Code}: chưa nhập “{a.Label}” (thông tin chung mục {a.General!.Code}).", true));
            }
            if (criterion.Details.EvidenceRequired && !withEvidence.Contains(criterion.Code))
                errors.Add(new CompletenessIssue(criterion.Code, $"Tiêu chí {criterion.Code}: chưa có tài liệu kiểm chứng (bắt buộc đối với tiêu chí này).", true));

            var flags = result.Node(criterion.Code).FlagSet;
            if (flags.HasFlag(ScoreFlags.RatioAbove100))
                warnings.Add(new CompletenessIssue(criterion.Code, $"Tiêu chí {criterion.Code}: tỷ lệ vượt quá 100% — kiểm tra lại số liệu (điểm được tính tối đa).", false));
            if (flags.HasFlag(ScoreFlags.DivisionByZero))
                warnings.Add(new CompletenessIssue(criterion.Code, $"Tiêu chí {criterion.Code}: mẫu số bằng 0 nên tiêu chí được 0 điểm — kiểm tra lại số liệu.", false));
            if (flags.HasFlag(ScoreFlags.AboveMax))
                warnings.Add(new CompletenessIssue(criterion.Code, $"Tiêu chí {criterion.Code}: điểm nhập vượt điểm tối đa nên được tính bằng điểm tối đa.", false));
        }
        if (includeGeneral)
        {
            foreach (var g in set.Set.General)
            {
                var address = AssessmentValue.GeneralPrefix + g.Code;
                if (stored.Contains(address) || readByCriteria.Contains(address)) continue;
                warnings.Add(new CompletenessIssue(address, $"Thông tin chung mục {g.Code} “{g.Label}” chưa nhập.", false));
            }
        }
        return [.. errors, .. warnings];
    }
}
