using DtiPortal.Application.Reviews;

namespace DtiPortal.E2E.Documents;

/// <summary>A commune's approved assessment as the approval service would freeze it (seed 003's commune, seed 004's columns).</summary>
public static class DocumentSamples
{
    /// <summary>18:30 UTC on 22/11/2026 is 01:30 on 23/11/2026 in Vietnam: the documents must print the 23rd.</summary>
    public static readonly DateTimeOffset ApprovedAt = new(2026, 11, 22, 18, 30, 0, TimeSpan.Zero);

    /// <summary>When the cohort was frozen: 18:25 UTC is 01:25 on the 23rd in Vietnam.</summary>
    public static readonly DateTimeOffset ComparedAt = new(2026, 11, 22, 18, 25, 0, TimeSpan.Zero);

    public static RecognitionDocumentModel LacDao() => new(
        AssessmentId: 4711,
        UnitName: "Xã Lạc Đạo",
        ParentUnitName: "Huyện Văn Lâm",
        ProvinceName: "Tỉnh Hưng Yên",
        CouncilName: "Hội đồng thẩm định chuyển đổi số tỉnh Hưng Yên",
        IssuerName: "Ủy ban nhân dân tỉnh Hưng Yên",
        RoundName: "Đợt đánh giá mức độ chuyển đổi số năm 2026",
        Year: 2026,
        SetName: "Bộ chỉ số đánh giá chuyển đổi số cấp xã",
        SetDecision: "2361/QĐ-BTTTT ngày 31/12/2024",
        DocumentNumber: "12/QĐ-UBND",
        MinutesNumber: "07/BB-HĐTĐ",
        ApprovedAt: ApprovedAt,
        ApprovedBy: "Trần Quốc Việt",
        Place: "Hưng Yên",
        UsesPoints: true,
        UsesLevels: true,
        SelfTotal: 845m,
        AppraisedTotal: 812.5m,
        AchievedTotal: 812.5m,
        MaxTotal: 1000m,
        SelfLevel: 4,
        RecognisedLevel: 3,
        RecognisedLevelName: "Cơ bản",
        ComparedAt: ComparedAt,
        ComparedUnits: 45,
        Rows:
        [
            new("1", "Chuyển đổi nhận thức", 0, true, 80m, 80m, 75m, 75m, 4, 3, null),
            new("1.1", "Ban hành kế hoạch chuyển đổi số năm của Ủy ban nhân dân xã", 1, false, 40m, 40m, 40m, 40m, 4, 4, null),
            new("1.2", "Tuyên truyền, phổ biến về chuyển đổi số trên Trang thông tin điện tử", 1, false, 40m, 40m, 35m, 35m, 4, 3, "Thiếu minh chứng tháng 11"),
            new("2", "Hạ tầng và nền tảng số", 0, true, 200m, 180m, 172.5m, 172.5m, 3, 3, null),
            new("2.1", "Tỷ lệ hộ gia đình có kết nối Internet cáp quang băng rộng", 1, false, 120m, 110m, 102.5m, 102.5m, 3, 3, "Số liệu đã đối chiếu với nhà mạng"),
            new("2.2", "Tỷ lệ người dân trưởng thành có điện thoại thông minh", 1, false, 80m, 70m, 70m, 70m, 3, 3, null),
            new("3", "Hoạt động chính quyền số", 0, true, 420m, 365m, 350m, 350m, 4, 3, null),
            new("3.1", "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình", 1, false, 250m, 215m, 205m, 205m, 4, 3, "Đề nghị bổ sung số liệu quý IV"),
            new("3.2", "Tỷ lệ văn bản điện tử có chữ ký số được gửi, nhận trên môi trường mạng", 1, false, 170m, 150m, 145m, 145m, 4, 4, null),
            new("4", "An toàn, an ninh mạng và xã hội số", 0, true, 300m, 220m, 215m, 215m, 3, 3, null),
            new("4.1", "Tỷ lệ người dân có tài khoản định danh điện tử mức độ 2", 1, false, 300m, 220m, 215m, 215m, 3, 3, "Đạt yêu cầu thẩm định"),
        ],
        Votes:
        [
            new("Nguyễn Thị Hường", "Phó Chủ tịch Hội đồng", true, "Thống nhất kết quả thẩm định."),
            new("Phạm Văn Đức", "Thư ký Hội đồng", true, null),
            new("Lê Thị Huyền Trang", "Ủy viên", false, "Đề nghị xem xét lại điểm tiêu chí 3.1."),
        ],
        ReviewSteps:
        [
            "15/11/2026 08:05 — Đỗ Minh Khuê (Ủy ban nhân dân xã Lạc Đạo): Nộp kết quả tự đánh giá",
            "18/11/2026 14:20 — Nguyễn Văn Dũng (Phòng Văn hóa và Thông tin huyện Văn Lâm): Chuyển Hội đồng thẩm định",
            "23/11/2026 01:30 — Trần Quốc Việt (Hội đồng thẩm định chuyển đổi số tỉnh Hưng Yên): Phê duyệt kết quả thẩm định",
        ]);
}
