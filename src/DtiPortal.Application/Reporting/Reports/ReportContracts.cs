using DtiPortal.Application.Assessments;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Domain.Criteria;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reporting.Reports;

using RankingRow = DtiPortal.Application.Spreadsheets.RankingRow;
using RankingIndex = DtiPortal.Application.Spreadsheets.RankingIndex;

// The contracts of issue 7's PDF reports: a unit's assessment report, a district/province summary, and the archive job.

/// <summary>What the national header of a report prints: the issuing body (left), place and date (right), and a number line.</summary>
public sealed record ReportHeader(string Issuer, string Number, string Place, DateTimeOffset Date);

/// <summary>One row of a unit report: the columns of seed 004 (as the assessment workbook has them).</summary>
public sealed record UnitReportRow(
    string Code, string Name, int Depth, bool IsGroup, decimal? Max, string? Method, string? Evidence,
    decimal? SelfPoints, decimal? AppraisedPoints, decimal? AchievedPoints, string? SelfLevel, string? AchievedLevel, string? Note);

/// <summary>A main index (chỉ số chính) with the unit's points: achieved when reviewed, else self-assessed.</summary>
public sealed record ReportIndex(string Code, string Name, decimal Max, decimal Points);

/// <summary>Everything a unit's assessment report prints (the workbook's sheet "Đánh giá" as a document).</summary>
public sealed record UnitReportModel(
    int AssessmentId, int UnitId, string UnitName, string? ParentName, string ProvinceName, ReportHeader Header,
    string RoundName, int Year, string SetName, int SetVersion, string? SetDecision,
    string StatusName, bool Reviewed, bool Recognised, string? RecognitionText,
    bool UsesPoints, bool UsesLevels,
    decimal MaxTotal, decimal SelfTotal, decimal? AppraisedTotal, decimal? AchievedTotal,
    string? SelfLevel, string? AchievedLevel,
    IReadOnlyList<ReportIndex> Indices, IReadOnlyList<UnitReportRow> Rows)
{
    /// <summary>The total the report states as the unit's result: achieved once reviewed, else self-assessed.</summary>
    public decimal ResultTotal => AchievedTotal ?? SelfTotal;
}

/// <summary>One group of the summary (the units under one district, or the province's own rows).</summary>
public sealed record SummaryGroup(
    string Name, int Units, int Drafts, int InReview, int Recognised, decimal? Average, decimal? Highest, decimal? Lowest,
    IReadOnlyList<int> PerLevel);

/// <summary>A district or province summary for a round: progress, score statistics, levels, main indices and the ranking.</summary>
public sealed record SummaryReportModel(
    int ScopeUnitId, string ScopeName, ReportHeader Header, RoundSummary Round, bool HasPoints,
    IReadOnlyList<MaturityLevel> Levels, IReadOnlyList<RankingIndex> Indices, IReadOnlyList<RankingRow> Rows,
    IReadOnlyList<SummaryGroup> Groups, SummaryGroup Total, IReadOnlyList<decimal> IndexAverages);

/// <summary>A PDF ready to download: its Vietnamese file name and its bytes.</summary>
public sealed record ReportFile(string FileName, byte[] Content)
{
    public const string ContentType = "application/pdf";
}

/// <summary>Renders the reports as PDF (the Web project: Razor templates + the shared headless Chromium).</summary>
public interface IReportRenderer
{
    /// <summary>Throws <see cref="Reviews.ReviewDocumentException"/> with a Vietnamese message on failure.</summary>
    Task<byte[]> UnitReportPdfAsync(UnitReportModel model, CancellationToken ct = default);

    Task<byte[]> SummaryReportPdfAsync(SummaryReportModel model, CancellationToken ct = default);
}

/// <summary>
/// How a background job gets a DI scope that acts as the system (unrestricted, passes role checks): the web app marks its
/// CurrentUser as the system, tests set their scope holder. Registered by whoever hosts <see cref="ReportJobWorker"/>.
/// </summary>
public interface ISystemScopeFactory
{
    AsyncServiceScope CreateSystemScope();
}

/// <summary>A report job as the page shows it.</summary>
public sealed record ReportJobView(
    Guid Id, int RoundId, string RoundName, int UnitId, string ScopeName, ReportJobStatus Status, int Done, int Total,
    DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, long? ArchiveBytes, string? Error)
{
    public bool IsActive => Status is ReportJobStatus.Queued or ReportJobStatus.Running;
    public double Percent => Total == 0 ? (Status == ReportJobStatus.Completed ? 100 : 0) : Math.Round(100.0 * Done / Total, 1);

    public string StatusName => Status switch
    {
        ReportJobStatus.Queued => "Đang chờ xử lý",
        ReportJobStatus.Running => "Đang tạo báo cáo",
        ReportJobStatus.Completed => "Đã hoàn thành",
        _ => "Không thành công",
    };
}

/// <summary>A district or province the user may ask a summary or an archive for.</summary>
public sealed record ReportScopeOption(int UnitId, string Name, int Level);

/// <summary>The archive of a completed job, to stream to the user.</summary>
public sealed record ReportArchive(string FileName, Stream Content)
{
    public const string ContentType = "application/zip";
}
