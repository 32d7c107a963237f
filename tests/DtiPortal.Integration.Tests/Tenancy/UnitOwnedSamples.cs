using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Integration.Tests.Tenancy;

/// <summary>
/// How to make and change a row of each unit-owned entity type, for the isolation matrix. A new IUnitOwned type
/// needs one line here: <see cref="TenancyCoverageTests"/> fails until it has one, and then the matrix covers it.
/// </summary>
public sealed record UnitOwnedSample(
    // A new row for the unit. Variants 0 and 1 of the same unit must not collide on a unique index.
    Func<int, int, object> Create,
    // Changes some of the row's values (an ordinary edit a user would make).
    Action<object> Change);

/// <summary>How to make (for a unit, or for the nation with null) and change a row of an optionally unit-owned type.</summary>
public sealed record OptionallyUnitOwnedSample(Func<int?, object> Create, Action<object> Change);

public static class UnitOwnedSamples
{
    public static IReadOnlyDictionary<Type, UnitOwnedSample> ByType { get; } = new Dictionary<Type, UnitOwnedSample>
    {
        [typeof(UnitContact)] = new(
            (unitId, variant) => new UnitContact(unitId, variant == 0 ? UnitContactRole.DataProvider : UnitContactRole.ApprovingLeader,
                "Nguyễn Văn Hùng", "UBND xã", "Chuyên viên", "0912 345 678", "hung@example.vn"),
            o => ((UnitContact)o).Update("Trần Thị Mai", "Văn phòng HĐND và UBND", "Phó Chủ tịch", "0987 654 321", "mai@example.vn")),
        // Assessments hang off a round on a stored set version: each sample row brings its own (inserted with it).
        [typeof(Assessment)] = new(
            (unitId, _) => NewAssessment(unitId),
            o => ((Assessment)o).RegisterTargetLevel(3, Levels, roundOpen: true)),
        [typeof(AssessmentValue)] = new(
            (unitId, variant) => new AssessmentValue(NewAssessment(unitId), variant == 0 ? "1" : "general:1"),
            o => ((AssessmentValue)o).Set("true", DateTimeOffset.UtcNow, null, "test")),
        [typeof(RuleExplanation)] = new(
            (unitId, variant) =>
            {
                var e = new RuleExplanation(NewAssessment(unitId), variant == 0 ? "DS15" : "TTC-1");
                e.Explain("Số liệu 8.2.b lấy theo báo cáo của VNPT", "9.000 ≠ 9.100", DateTimeOffset.UtcNow, null, "test");
                return e;
            },
            o => ((RuleExplanation)o).Explain("Đã đối chiếu với Công an xã", "9.000 ≠ 9.100", DateTimeOffset.UtcNow, null, "test")),
        [typeof(CriterionAssignment)] = new(
            (unitId, _) => new CriterionAssignment(NewAssessment(unitId), "1", "Văn phòng - Thống kê"),
            o => ((CriterionAssignment)o).Reassign("Văn hóa - Xã hội")),
        // One extension per assessment: each sample row brings its own assessment.
        [typeof(DeadlineExtension)] = new(
            (unitId, variant) => new DeadlineExtension(NewAssessment(unitId), new DateOnly(2024, 12, 5 + variant), "Xã bị ảnh hưởng bão lũ", DateTimeOffset.UtcNow, null, "test"),
            o => ((DeadlineExtension)o).Grant(new DateOnly(2024, 12, 20), "Gia hạn thêm do mất điện kéo dài", DateTimeOffset.UtcNow, null, "test")),
        [typeof(Application.Evidence.EvidenceFile)] = new(
            (unitId, variant) => Application.Evidence.EvidenceFile.ForLink(NewAssessment(unitId), variant == 0 ? "1" : "2", "https://lacdao.hungyen.gov.vn/ke-hoach-cds",
                new Application.Evidence.DocumentInfo("15/KH-UBND", new DateOnly(2024, 3, 1), "UBND xã", "Kế hoạch chuyển đổi số"), DateTimeOffset.UtcNow, "test"),
            o => ((Application.Evidence.EvidenceFile)o).Describe(new Application.Evidence.DocumentInfo("16/KH-UBND", new DateOnly(2024, 4, 2), "UBND xã", "Kế hoạch sửa đổi"))),
        [typeof(Application.Reviews.CriterionAppraisal)] = new(
            (unitId, variant) =>
            {
                var a = new Application.Reviews.CriterionAppraisal(NewAssessment(unitId), variant == 0 ? "1" : "2", Domain.Reviews.ReviewTier.District);
                a.Record(Domain.Reviews.AppraisalVerdict.Accepted, null, null, null, 1, DateTimeOffset.UtcNow, null, "test");
                return a;
            },
            o => ((Application.Reviews.CriterionAppraisal)o).Record(Domain.Reviews.AppraisalVerdict.Corrected, null, 5m, "Số liệu chưa khớp", 1,
                DateTimeOffset.UtcNow, null, "test")),
        [typeof(Application.Reviews.ReviewComment)] = new(
            (unitId, variant) => new Application.Reviews.ReviewComment(NewAssessment(unitId), variant == 0 ? "1" : null, "Đề nghị bổ sung kế hoạch", DateTimeOffset.UtcNow, "Nguyễn Văn Hùng"),
            o => ((Application.Reviews.ReviewComment)o).Edit("Đã bổ sung")),
        // Steps are never changed by the application; the matrix still proves RLS refuses an update outside the scope.
        [typeof(Application.Reviews.WorkflowStep)] = new(
            (unitId, variant) => new Application.Reviews.WorkflowStep(NewAssessment(unitId), variant == 0 ? "Submit" : "Resubmit", DateTimeOffset.UtcNow, "test"),
            o => typeof(Application.Reviews.WorkflowStep).GetProperty(nameof(Application.Reviews.WorkflowStep.Reason))!.SetValue(o, "sửa")),
        [typeof(Application.Reviews.CouncilVote)] = new(
            (unitId, variant) =>
            {
                var v = new Application.Reviews.CouncilVote(NewAssessment(unitId), "user-" + variant, "Phạm Văn Đức", "Thành viên Hội đồng thẩm định");
                v.Cast(true, null, DateTimeOffset.UtcNow);
                return v;
            },
            o => ((Application.Reviews.CouncilVote)o).Cast(false, "Chưa đủ tài liệu kiểm chứng", DateTimeOffset.UtcNow)),
        [typeof(Application.Reviews.RecognisedResult)] = new(
            (unitId, variant) => new Application.Reviews.RecognisedResult(NewAssessment(unitId), variant + 1, 812.5m, "Nguyễn Thị Hường"),
            o => ((Application.Reviews.RecognisedResult)o).AttachDocuments("documents/a.pdf", "documents/b.pdf", null)),
        [typeof(Application.Quality.FollowUpMark)] = new(
            (unitId, variant) => new Application.Quality.FollowUpMark(NewAssessment(unitId), variant == 0 ? "1" : "general:1", "Số liệu tăng bất thường", DateTimeOffset.UtcNow, "Lê Minh Tuấn"),
            o => ((Application.Quality.FollowUpMark)o).AnswerWith("Đã rà soát, số liệu đúng", DateTimeOffset.UtcNow, "Nguyễn Thị Hoa")),
    };

    /// <summary>Rows that belong to a unit or, with a null unit, to the nation (<see cref="Application.Tenancy.IOptionallyUnitOwned"/>).</summary>
    public static IReadOnlyDictionary<Type, OptionallyUnitOwnedSample> Optional { get; } = new Dictionary<Type, OptionallyUnitOwnedSample>
    {
        [typeof(Application.Criteria.Studio.CriteriaSetDraft)] = new(
            unitId => new Application.Criteria.Studio.CriteriaSetDraft(unitId, "format: dti-criteria/1\nid: ban-nhap\nversion: 1\n", "Bộ trống", DateTimeOffset.UtcNow, "test"),
            o => ((Application.Criteria.Studio.CriteriaSetDraft)o).Replace("format: dti-criteria/1\nid: ban-nhap\nversion: 2\n", DateTimeOffset.UtcNow, "test")),
    };

    private static IReadOnlyList<MaturityLevel> Levels => [.. Enumerable.Range(1, 5).Select(l => new MaturityLevel(l, "Mức " + l))];

    private static Assessment NewAssessment(int unitId) => new(NewRound(unitId), unitId);

    /// <summary>A round (on its own stored one-criterion set version) whose province is <paramref name="provinceUnitId"/>; saved with whatever references it.</summary>
    public static AssessmentRound NewRound(int provinceUnitId)
    {
        var id = "sample-" + Guid.NewGuid().ToString("N")[..12];
        var yaml = $$"""
            format: dti-criteria/1
            id: {{id}}
            version: 1
            name: Bộ mẫu cho ma trận cô lập
            level: commune
            decision: { number: 1/QĐ-TEST, issuer: Thử nghiệm }
            maxPoints: 10
            general:
              - { code: "1", key: population, label: Dân số, type: integer }
            tree:
              - { code: "1", kind: criterion, name: Có kết nối mạng, max: 10, method: yesno }
            """;
        var set = CriteriaSetLoader.Parse(yaml).Set ?? throw new InvalidOperationException("sample set does not load");
        var version = CriteriaSetVersion.Publish(set, yaml, isBuiltIn: false, DateTimeOffset.UtcNow, "test");
        return new AssessmentRound(version, 2024, "Đợt mẫu", provinceUnitId, "commune", new DateOnly(2024, 11, 30), new DateOnly(2024, 12, 10),
            new DateOnly(2024, 12, 20), hasDistrictTier: true, DateTimeOffset.UtcNow, "test");
    }
}
