using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Reporting;
using DtiPortal.Web.Features.Assessments;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Web.Features.Dashboards;

/// <summary>The Vietnamese words and numbers of the dashboards.</summary>
public static class DashboardText
{
    public static IReadOnlyList<ProgressBucket> Buckets { get; } = Enum.GetValues<ProgressBucket>();

    public static string Bucket(ProgressBucket bucket) => bucket switch
    {
        ProgressBucket.NotStarted => "Chưa bắt đầu",
        ProgressBucket.InProgress => "Đang nhập số liệu",
        ProgressBucket.Submitted => "Đã nộp, đang thẩm định",
        ProgressBucket.Returned => "Bị trả lại",
        _ => "Đã phê duyệt",
    };

    /// <summary>The bar colour of a bucket in the progress chart (the same hues as the status badges).</summary>
    public static string BucketColor(ProgressBucket bucket) => bucket switch
    {
        ProgressBucket.NotStarted => "#9e9e9e",
        ProgressBucket.InProgress => "#1e88e5",
        ProgressBucket.Submitted => "#43a047",
        ProgressBucket.Returned => "#fb8c00",
        _ => "#1b5e20",
    };

    public static string BucketClass(ProgressBucket bucket) => "bucket bucket-" + bucket.ToString().ToLowerInvariant();

    /// <summary>The assessment's status, except that a draft nobody has started says so ("Chưa bắt đầu").</summary>
    public static string Status(AssessmentStatus status, ProgressBucket bucket) =>
        bucket == ProgressBucket.NotStarted ? Bucket(bucket) : AssessmentText.Status(status);

    public static string Overdue(OverdueStage stage) => stage switch
    {
        OverdueStage.Entry => "Quá hạn nhập số liệu",
        OverdueStage.Review => "Quá hạn thẩm tra",
        OverdueStage.Council => "Quá hạn thẩm định",
        _ => "",
    };

    /// <summary>"trung bình …" → "Trung bình …" (a legend starts a line).</summary>
    public static string UpperFirst(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    public static string Number(decimal value) => VnFormat.Number(value);

    public static string Number(decimal? value) => value is { } v ? VnFormat.Number(v) : "—";

    /// <summary>A share (0…1) as a percentage: "72,5%".</summary>
    public static string Percent(decimal share) => VnFormat.Percent(share);

    public static string Percent(decimal? share) => share is { } s ? VnFormat.Percent(s) : "—";

    /// <summary>"+5", "−2,5", "0" (a real minus sign, so screen readers say "trừ").</summary>
    public static string Delta(decimal? delta) => delta switch
    {
        null => "—",
        > 0 => "+" + VnFormat.Number(delta.Value),
        < 0 => "−" + VnFormat.Number(-delta.Value),
        _ => "0",
    };

    public static string DeltaClass(decimal? delta) => delta switch
    {
        > 0 => "delta delta-up",
        < 0 => "delta delta-down",
        _ => "delta",
    };

    /// <summary>A share as a chart value in percent (two decimals).</summary>
    public static double ChartPercent(decimal share) => (double)decimal.Round(share * 100, 2);

    public static string Query(int roundId, int? parentId) =>
        "/tong-quan?dot=" + roundId.ToString(CultureInfo.InvariantCulture) + (parentId is { } p ? "&donVi=" + p.ToString(CultureInfo.InvariantCulture) : "");

    public static string UnitPage(int assessmentId) => "/tong-quan/don-vi/" + assessmentId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The ranking spreadsheet (issue 7's spreadsheets): the round's ranking below a unit.</summary>
    public static string RankingSpreadsheet(int roundId, int parentId) =>
        $"/api/bang-tinh/xep-hang/{roundId.ToString(CultureInfo.InvariantCulture)}?donVi={parentId.ToString(CultureInfo.InvariantCulture)}";

    public static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);
}
