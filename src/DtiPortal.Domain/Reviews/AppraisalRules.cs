using DtiPortal.Domain.Assessments;
namespace DtiPortal.Domain.Reviews;

/// <summary>Which tier appraised a criterion: the district culture-and-information office, or the provincial council.</summary>
public enum ReviewTier { District, Council }

/// <summary>A reviewer's verdict on one criterion.</summary>
public enum AppraisalVerdict
{
    /// <summary>The unit's figures and points stand.</summary>
    Accepted,
    /// <summary>The reviewer corrected inputs and/or points (a reason is mandatory).</summary>
    Corrected,
    /// <summary>The unit must complete or fix this criterion (a reason is mandatory); returned with the assessment.</summary>
    NeedsFix,
}

/// <summary>The rules of recording an appraisal and of what a returned unit may change (issue 6).</summary>
public static class AppraisalRules
{
    public const string ReasonRequired = "Phải nêu lý do khi điều chỉnh hoặc yêu cầu bổ sung tiêu chí.";
    public const string NothingCorrected = "Chọn “Điều chỉnh” thì phải sửa ít nhất một số liệu hoặc nhập điểm thẩm định.";
    public const string NotReturnedMessage = "Tiêu chí này không nằm trong phần bị trả lại: chỉ sửa được các tiêu chí cơ quan thẩm định yêu cầu bổ sung.";
    public const string GeneralNotReturnedMessage = "Thông tin chung không nằm trong phần bị trả lại.";
    public const int MaxReasonLength = 2000;

    /// <summary>Null when the appraisal may be recorded, else a Vietnamese message.</summary>
    public static string? Check(AppraisalVerdict verdict, bool hasCorrections, string? reason)
    {
        if (reason is { Length: > MaxReasonLength }) return $"Lý do dài quá {MaxReasonLength} ký tự.";
        return verdict switch
        {
            AppraisalVerdict.Corrected when !hasCorrections => NothingCorrected,
            AppraisalVerdict.Corrected or AppraisalVerdict.NeedsFix when string.IsNullOrWhiteSpace(reason) => ReasonRequired,
            AppraisalVerdict.Accepted when hasCorrections => "Đã chấp nhận thì không kèm số liệu điều chỉnh.",
            _ => null,
        };
    }

    /// <summary>
    /// May the unit change this criterion now? A draft: every criterion. Returned: only the criteria returned to it, or
    /// every criterion when the whole assessment was returned without naming any.
    /// </summary>
    public static bool CanChangeCriterion(AssessmentStatus state, IReadOnlyCollection<string> returnedCriteria, string criterion) => state switch
    {
        AssessmentStatus.Draft => true,
        AssessmentStatus.Returned => returnedCriteria.Count == 0 || returnedCriteria.Contains(criterion),
        _ => false,
    };

    /// <summary>General information is open again only when the whole assessment was returned.</summary>
    public static bool CanChangeGeneral(AssessmentStatus state, IReadOnlyCollection<string> returnedCriteria) =>
        state == AssessmentStatus.Draft || (state == AssessmentStatus.Returned && returnedCriteria.Count == 0);

    /// <summary>Which tier's appraisal the current state belongs to (null when nobody is appraising).</summary>
    public static ReviewTier? TierOf(AssessmentStatus state) => state switch
    {
        AssessmentStatus.UnderDistrictReview => ReviewTier.District,
        AssessmentStatus.UnderCouncilAppraisal => ReviewTier.Council,
        _ => null,
    };

    public static string TierName(ReviewTier tier) => tier switch
    {
        ReviewTier.District => "Cấp huyện thẩm tra",
        _ => "Hội đồng thẩm định",
    };

    public static string VerdictName(AppraisalVerdict verdict) => verdict switch
    {
        AppraisalVerdict.Accepted => "Chấp nhận",
        AppraisalVerdict.Corrected => "Điều chỉnh",
        _ => "Yêu cầu bổ sung",
    };
}
