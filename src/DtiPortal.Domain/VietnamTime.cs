using System.Globalization;

namespace DtiPortal.Domain;

/// <summary>
/// Vietnam's clock (UTC+7 all year, no daylight saving), written once: deadlines are calendar days in Vietnam and every
/// time a user reads is Vietnam time, whatever the server's zone. Numbers are <see cref="Scoring.VnFormat"/>.
/// A test (VietnamTimeGuardTests) keeps other spellings of the offset out of src.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    /// <summary>The same instant on Vietnam's clock.</summary>
    public static DateTimeOffset ToVietnam(this DateTimeOffset at) => at.ToOffset(Offset);

    /// <summary>Today's date in Vietnam.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(Offset).DateTime);

    /// <summary>14:05:09.</summary>
    public static string Time(DateTimeOffset at) => at.ToOffset(Offset).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>14:05 06/12/2026, as the pages and messages print a moment.</summary>
    public static string DateTime(DateTimeOffset at) => at.ToOffset(Offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>06/12/2026.</summary>
    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>06/12/2026 of an instant, on Vietnam's clock.</summary>
    public static string Date(DateTimeOffset at) => Date(DateOnly.FromDateTime(at.ToOffset(Offset).DateTime));
}
