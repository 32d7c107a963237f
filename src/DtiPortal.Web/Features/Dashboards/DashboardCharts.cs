using System.Globalization;
using MudBlazor;

namespace DtiPortal.Web.Features.Dashboards;

/// <summary>What the dashboards' MudCharts share: series, heights and axes in Vietnamese numbers.</summary>
public static class DashboardCharts
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static ChartSeries<double> Series(string name, IEnumerable<double> values) =>
        new() { Name = name, Data = new ChartData<double>(values.ToArray()) };

    /// <summary>Room for the category labels: a little taller when there are many.</summary>
    public static string Height(int categories) => $"{Math.Max(260, 200 + categories * 12)}px";

    /// <summary>Whole units on a count axis: a step of 1 for small counts (no "0,2 đơn vị"), a round step otherwise.</summary>
    public static int CountTicks(int max) => max <= 10 ? 1 : 0;

    /// <summary>An axis value in vi-VN ("12,5").</summary>
    public static string Axis(double value) => value.ToString("#,##0.##", Vi);

    /// <summary>A percentage axis from 0 to 100 in steps of 20.</summary>
    public static BarChartOptions PercentBars(params string[] palette) => new()
    {
        YAxisTicks = 20,
        YAxisSuggestedMax = 100,
        YAxisToStringFunc = v => Axis(v) + "%",
        ChartPalette = palette.Length > 0 ? palette : ["#3f51b5", "#00796b"],
    };

    /// <summary>A count axis (units) with whole steps.</summary>
    public static BarChartOptions CountBars(int max) => new()
    {
        YAxisTicks = CountTicks(max),
        YAxisToStringFunc = Axis,
        ChartPalette = ["#3f51b5"],
        ShowLegend = false,
    };
}
