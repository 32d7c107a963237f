using Microsoft.Extensions.Configuration;

namespace DtiPortal.Application.Notifications;

/// <summary>How e-mails leave the outbox (configuration <c>Email:Mode</c>).</summary>
public enum EmailMode
{
    /// <summary>Each message is written as an .eml file into <see cref="EmailSettings.PickupDirectory"/> (development).</summary>
    Pickup,
    /// <summary>Sent to the SMTP server of <see cref="EmailSettings.Smtp"/>.</summary>
    Smtp,
    /// <summary>No e-mail at all: only the in-app inbox.</summary>
    None,
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool EnableSsl { get; set; } = true;
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// The e-mail side of notifications (docs/notifications.md), from configuration section <c>Email</c>. Without
/// <c>Email:Mode</c>, development and any machine without <c>Email:Smtp:Host</c> write .eml files to a local folder, so
/// nothing is ever mailed by accident.
/// </summary>
public sealed class EmailSettings
{
    public const string Section = "Email";
    public const string DefaultFrom = "DtiPortal <no-reply@dtiportal.local>";
    public const string DefaultPickupDirectory = ".local/mail";

    // Not bound by name: Load reads "Mode" itself, so an empty or misspelt value gets a clear message instead of a binder exception.
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("__ModeIsReadByLoad")]
    public EmailMode Mode { get; set; } = EmailMode.Pickup;
    /// <summary>An absolute path once loaded (relative values are resolved against the content root).</summary>
    public string PickupDirectory { get; set; } = DefaultPickupDirectory;
    public string From { get; set; } = DefaultFrom;
    /// <summary>The site's address for absolute links in mails ("https://dti.hungyen.gov.vn"); null: links stay relative paths.</summary>
    public string? BaseUrl { get; set; }
    public SmtpSettings Smtp { get; set; } = new();
    /// <summary>Messages claimed per batch by one dispatcher.</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>After this many failed attempts a message is left alone (its last error stays in the outbox).</summary>
    public int MaxAttempts { get; set; } = 10;

    public bool Enabled => Mode != EmailMode.None;

    /// <summary>Reads the section; <paramref name="contentRoot"/> anchors a relative pickup directory.</summary>
    public static EmailSettings Load(IConfiguration? configuration, string contentRoot, bool isDevelopment)
    {
        var section = configuration?.GetSection(Section);
        var settings = new EmailSettings();
        section?.Bind(settings, o => o.ErrorOnUnknownConfiguration = false);
        var mode = section?["Mode"];
        if (string.IsNullOrWhiteSpace(mode))
            settings.Mode = isDevelopment || string.IsNullOrWhiteSpace(settings.Smtp.Host) ? EmailMode.Pickup : EmailMode.Smtp;
        else if (Enum.TryParse<EmailMode>(mode.Trim(), ignoreCase: true, out var parsed))
            settings.Mode = parsed;
        else
            throw new InvalidOperationException($"Email:Mode = '{mode}' không hợp lệ: dùng Pickup, Smtp hoặc None.");
        if (settings.Mode == EmailMode.Smtp && string.IsNullOrWhiteSpace(settings.Smtp.Host))
            throw new InvalidOperationException("Email:Mode = Smtp nhưng chưa đặt Email:Smtp:Host.");
        var dir = string.IsNullOrWhiteSpace(settings.PickupDirectory) ? DefaultPickupDirectory : settings.PickupDirectory.Trim();
        settings.PickupDirectory = Path.IsPathRooted(dir) ? dir : Path.GetFullPath(Path.Combine(contentRoot, dir));
        if (string.IsNullOrWhiteSpace(settings.From)) settings.From = DefaultFrom;
        settings.BaseUrl = string.IsNullOrWhiteSpace(settings.BaseUrl) ? null : settings.BaseUrl.Trim().TrimEnd('/');
        settings.BatchSize = Math.Clamp(settings.BatchSize, 1, 500);
        settings.MaxAttempts = Math.Max(1, settings.MaxAttempts);
        return settings;
    }

    /// <summary>The link as a mail shows it: absolute when <see cref="BaseUrl"/> is set.</summary>
    public string LinkText(string link) => BaseUrl is null || !link.StartsWith('/') ? link : BaseUrl + link;
}

/// <summary>The background job's timing (configuration section <c>Notifications</c>).</summary>
public sealed class NotificationJobSettings
{
    public const string Section = "Notifications";

    /// <summary>Seconds between two runs of the reminders and the e-mail dispatcher; 0 turns the job off.</summary>
    public int IntervalSeconds { get; set; } = 300;
    /// <summary>Seconds to wait after start-up before the first run (lets migrations and seeding finish).</summary>
    public int StartupDelaySeconds { get; set; } = 30;

    public static NotificationJobSettings Load(IConfiguration? configuration)
    {
        var settings = new NotificationJobSettings();
        configuration?.GetSection(Section).Bind(settings);
        settings.IntervalSeconds = Math.Max(0, settings.IntervalSeconds);
        settings.StartupDelaySeconds = Math.Max(0, settings.StartupDelaySeconds);
        return settings;
    }
}
