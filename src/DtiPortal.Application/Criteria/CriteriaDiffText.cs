using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.Criteria;

/// <summary>A changed field of a criterion, said in Vietnamese with its old and new value (for the CLI and the pages).</summary>
public static class CriteriaDiffText
{
    public static string Field(string field, CriterionChange change) => field switch
    {
        "name" => $"tên “{change.Previous.Name}” → “{change.Next.Name}”",
        "max" => $"điểm tối đa {VnFormat.Number(change.Previous.Max)} → {VnFormat.Number(change.Next.Max)}",
        "method" => $"cách tính: {MethodDescriber.Describe(change.Previous)} → {MethodDescriber.Describe(change.Next)}",
        "parameters" => $"tham số cách tính: {MethodDescriber.Describe(change.Previous)} → {MethodDescriber.Describe(change.Next)}",
        _ => field,
    };
}
