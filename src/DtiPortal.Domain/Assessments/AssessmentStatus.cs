namespace DtiPortal.Domain.Assessments;

/// <summary>
/// Where an assessment stands in its life: the unit enters its figures (Draft, or Returned for corrections), submits
/// them, the district reviewer (three-tier rounds) and the provincial council appraise them, the council chair approves
/// and an administrator publishes. The one home of the states: the workflow table (<c>Reviews.AssessmentWorkflow</c>)
/// moves between them, the database stores each member's name as text (column <c>assessments.status</c>), so renaming
/// a member needs a migration — adding one does not.
/// </summary>
public enum AssessmentStatus { Draft, Submitted, UnderDistrictReview, Returned, Forwarded, UnderCouncilAppraisal, Approved, Published }

public static class AssessmentStatusText
{
    /// <summary>The Vietnamese name of a state, as every page, export and audit entry shows it.</summary>
    public static string Name(this AssessmentStatus status) => status switch
    {
        AssessmentStatus.Draft => "Đang nhập số liệu",
        AssessmentStatus.Submitted => "Đã nộp",
        AssessmentStatus.UnderDistrictReview => "Cấp huyện đang thẩm tra",
        AssessmentStatus.Returned => "Bị trả lại để bổ sung",
        AssessmentStatus.Forwarded => "Đã chuyển cấp tỉnh",
        AssessmentStatus.UnderCouncilAppraisal => "Hội đồng đang thẩm định",
        AssessmentStatus.Approved => "Đã phê duyệt",
        AssessmentStatus.Published => "Đã công bố",
        _ => status.ToString(),
    };

    /// <summary>The unit still holds the figures: Draft, or Returned by the reviewer.</summary>
    public static bool AwaitingEntry(this AssessmentStatus status) => status is AssessmentStatus.Draft or AssessmentStatus.Returned;
}
