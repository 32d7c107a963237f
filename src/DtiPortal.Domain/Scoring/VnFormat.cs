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

    /// <summary>A fraction as a percentage: 0.725 → "72,5%".</summary>
    public static string Percent(decimal fraction) => Number(fraction * 100) + "%";
}
