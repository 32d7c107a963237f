using System.Globalization;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// Vietnamese number formatting (decimal comma, dot thousands: 1.000; 72,5) built by hand so that
/// it does not depend on the ICU data of the machine the CLI runs on.
/// </summary>
public static class VnFormat
{
    private static readonly NumberFormatInfo _info = new()
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
        NegativeSign = "-",
    };

    /// <summary>At most two decimals, no trailing zeros: 36,25; 1.000; 0,33.</summary>
    public static string Number(decimal value) =>
        decimal.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,##0.##", _info);

    /// <summary>At most <paramref name="decimals"/> decimals, no trailing zeros.</summary>
    public static string Number(decimal value, int decimals) =>
        decimal.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("#,##0." + new string('#', decimals), _info);

    /// <summary>A fraction as a percentage: 0.725 → "72,5%".</summary>
    public static string Percent(decimal fraction) => Number(fraction * 100) + "%";

    /// <summary>
    /// The fewest decimals (2 at least, as everywhere) with which <paramref name="value"/>, rounded for display, compares with
    /// every threshold as the value itself does; thresholds are shown at 2 decimals.
    /// </summary>
    public static int DecimalsFor(decimal value, IEnumerable<decimal> thresholds, bool percent)
    {
        var scale = percent ? 100m : 1m;
        var limits = thresholds.Select(t => (Exact: t, Shown: decimal.Round(t * scale, 2, MidpointRounding.AwayFromZero))).ToList();
        for (var d = 2; d < 12; d++)
        {
            var shown = decimal.Round(value * scale, d, MidpointRounding.AwayFromZero);
            if (limits.All(l => (shown >= l.Shown) == (value >= l.Exact))) return d;
        }
        return 12;
    }
}
