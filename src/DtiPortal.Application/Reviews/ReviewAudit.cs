using System.Globalization;
using System.Text.Json;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// A readable audit entry per workflow step ("Phê duyệt: Hội đồng đang thẩm định → Đã phê duyệt"), written in the step's
/// own transaction next to the entity-level before/after entries the interceptor records.
/// </summary>
internal static class ReviewAudit
{
    public static Task StepAsync(DtiDbContext db, ReviewAccess review, TimeProvider clock, Assessment a, string actionName,
        AssessmentStatus from, AssessmentStatus to, string? reason, string? criterion, CancellationToken ct)
    {
        var detail = from == to
            ? $"{actionName}{(criterion is null ? "" : $" tiêu chí {criterion}")}{(reason is null ? "" : $": {reason}")}"
            : $"{actionName}: {AssessmentText(from)} → {AssessmentText(to)}{(reason is null ? "" : $". Lý do: {reason}")}";
        var row = new AuditRow(clock.GetUtcNow(), review.Scope.UserId, review.Scope.UserName ?? "system", review.Scope.Origin, "Workflow",
            nameof(Assessment), a.Id.ToString(CultureInfo.InvariantCulture), a.UnitId,
            JsonSerializer.Serialize(new { status = from.ToString() }), JsonSerializer.Serialize(new { status = to.ToString(), criterion, reason }), detail, true);
        return AuditSql.InsertAsync(db, [row], async: true, ct);
    }

    private static string AssessmentText(AssessmentStatus s) => s.Name();
}
