using System.Net;
using DtiPortal.Application.Data;
using DtiPortal.Application.Notifications;
using Npgsql;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// The start-up check of a production machine (issue 8, deploy/README.md, ADR-009): before anything else runs, every
/// setting an operator must give is present and sane, or the app refuses to start with one line per problem in
/// Vietnamese and English on stderr and exit code <see cref="ExitCode"/>. Development and the test environment
/// ("Testing") keep their local defaults and are not checked.
/// </summary>
public static class StartupConfiguration
{
    public const int ExitCode = 78; // EX_CONFIG (sysexits.h): systemd shows it, and Restart=on-failure stops retrying with RestartPreventExitStatus

    /// <summary>Whether this environment must be configured explicitly (everything but Development and Testing).</summary>
    public static bool IsEnforced(IHostEnvironment environment) =>
        !environment.IsDevelopment() && !environment.IsEnvironment("Testing");

    /// <summary>Every problem of the configuration, each "Vietnamese / English"; empty when the app may start.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration config)
    {
        var problems = new List<string>();
        void Missing(string key, string vi, string en) =>
            problems.Add($"Thiếu cấu hình {key} ({vi}). / Missing setting {key} ({en}).");
        void Invalid(string key, string value, string vi, string en) =>
            problems.Add($"Cấu hình {key} = '{value}' không hợp lệ: {vi}. / Invalid setting {key} = '{value}': {en}.");

        // Database
        var cs = config.GetConnectionString(Database.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(cs))
            Missing("ConnectionStrings:Dti", "chuỗi kết nối PostgreSQL, ví dụ Host=db1,db2;Database=dti;Username=dti;Password=…",
                "the PostgreSQL connection string, e.g. Host=db1,db2;Database=dti;Username=dti;Password=…");
        else
        {
            try
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                if (string.IsNullOrWhiteSpace(b.Host))
                    Missing("Host trong ConnectionStrings:Dti", "máy chủ PostgreSQL", "the PostgreSQL server");
                if (string.IsNullOrWhiteSpace(b.Database))
                    Missing("Database trong ConnectionStrings:Dti", "tên cơ sở dữ liệu", "the database name");
            }
            catch (ArgumentException ex)
            {
                problems.Add($"Chuỗi kết nối ConnectionStrings:Dti không đọc được ({ex.Message}). / ConnectionStrings:Dti cannot be parsed ({ex.Message}).");
            }
        }

        // Evidence storage
        var store = (config["Evidence:Store"] ?? "Directory").Trim();
        if (store.Equals("Directory", StringComparison.OrdinalIgnoreCase) || store.Length == 0)
        {
            var dir = config["Evidence:Directory"];
            if (string.IsNullOrWhiteSpace(dir))
                Missing("Evidence:Directory", "thư mục lưu minh chứng, đường dẫn tuyệt đối ngoài thư mục cài đặt, ví dụ /var/lib/dtiportal/evidence; nhiều máy chủ: thư mục dùng chung",
                    "the evidence folder, an absolute path outside the install folder, e.g. /var/lib/dtiportal/evidence; several instances: a shared folder");
            else if (!Path.IsPathRooted(dir))
                Invalid("Evidence:Directory", dir, "cần đường dẫn tuyệt đối", "an absolute path is required");
        }
        else if (store.Equals("S3", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(config["Evidence:S3:Bucket"]))
                Missing("Evidence:S3:Bucket", "bucket S3 lưu minh chứng", "the S3 bucket for evidence");
            if (config["Evidence:S3:ServiceUrl"] is { Length: > 0 } url && !IsHttpUrl(url))
                Invalid("Evidence:S3:ServiceUrl", url, "cần địa chỉ http(s)://…", "an http(s):// address is required");
            if (string.IsNullOrWhiteSpace(config["Evidence:S3:AccessKey"]) != string.IsNullOrWhiteSpace(config["Evidence:S3:SecretKey"]))
                Missing("Evidence:S3:AccessKey/SecretKey", "cần đặt cả hai hoặc bỏ cả hai", "set both or neither");
        }
        else Invalid("Evidence:Store", store, "dùng Directory hoặc S3", "use Directory or S3");
        if (config["Evidence:MaxFileSizeMB"] is { Length: > 0 } max && (!int.TryParse(max, out var mb) || mb <= 0))
            Invalid("Evidence:MaxFileSizeMB", max, "cần số nguyên dương (MB)", "a positive whole number of MB is required");

        // Shared caches (issue 17, ADR-012): optional, but a typo must not pass unnoticed. The value is not repeated: it may
        // hold a password.
        if (config[SharedCaches.ConfigurationKey] is { Length: > 0 } redis)
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(redis);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"Chuỗi kết nối Redis:Configuration không đọc được ({ex.Message}). / Redis:Configuration cannot be parsed ({ex.Message}).");
            }
        }

        // E-mail
        var mode = config["Email:Mode"]?.Trim();
        if (string.IsNullOrEmpty(mode))
            Missing("Email:Mode", "cách gửi thư: Smtp, Pickup (ghi tệp .eml) hoặc None (chỉ hộp thư trong ứng dụng)",
                "how e-mail is sent: Smtp, Pickup (.eml files) or None (in-app inbox only)");
        else if (!Enum.TryParse<EmailMode>(mode, ignoreCase: true, out var parsed) || int.TryParse(mode, out _))
            Invalid("Email:Mode", mode, "dùng Smtp, Pickup hoặc None", "use Smtp, Pickup or None");
        else if (parsed == EmailMode.Smtp)
        {
            if (string.IsNullOrWhiteSpace(config["Email:Smtp:Host"]))
                Missing("Email:Smtp:Host", "máy chủ SMTP", "the SMTP server");
            var from = config["Email:From"];
            if (string.IsNullOrWhiteSpace(from) || from.Trim() == EmailSettings.DefaultFrom) // the default's .local domain is not deliverable
                Missing("Email:From", "địa chỉ người gửi, ví dụ DtiPortal <no-reply@dti.hungyen.gov.vn>", "the sender address, e.g. DtiPortal <no-reply@dti.hungyen.gov.vn>");
            if (config["Email:Smtp:Port"] is { Length: > 0 } port && (!int.TryParse(port, out var p) || p is <= 0 or > 65535))
                Invalid("Email:Smtp:Port", port, "cần số cổng 1–65535", "a port number 1–65535 is required");
        }
        var baseUrl = config["Email:BaseUrl"];
        if (string.IsNullOrWhiteSpace(baseUrl))
            Missing("Email:BaseUrl", "địa chỉ công khai của cổng cho các liên kết trong thư, ví dụ https://dti.hungyen.gov.vn",
                "the portal's public address for links in e-mails, e.g. https://dti.hungyen.gov.vn");
        else if (!IsHttpUrl(baseUrl))
            Invalid("Email:BaseUrl", baseUrl, "cần địa chỉ đầy đủ https://…", "a full https://… address is required");

        // Data protection (cookies and antiforgery tokens of every instance)
        var dp = (config["DataProtection:Store"] ?? "Database").Trim();
        if (dp.Equals("FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            var path = config["DataProtection:Path"];
            if (string.IsNullOrWhiteSpace(path))
                Missing("DataProtection:Path", "thư mục khoá bảo vệ dữ liệu (DataProtection:Store = FileSystem)", "the key ring folder (DataProtection:Store = FileSystem)");
            else if (!Path.IsPathRooted(path))
                Invalid("DataProtection:Path", path, "cần đường dẫn tuyệt đối", "an absolute path is required");
        }
        else if (dp.Equals("None", StringComparison.OrdinalIgnoreCase))
            Invalid("DataProtection:Store", dp, "khoá tạm trong bộ nhớ chỉ dùng khi phát triển (người dùng bị đăng xuất mỗi lần khởi động lại); dùng Database",
                "an in-memory key ring is for development only (users are signed out on every restart); use Database");
        else if (!dp.Equals("Database", StringComparison.OrdinalIgnoreCase) && dp.Length > 0)
            Invalid("DataProtection:Store", dp, "dùng Database hoặc FileSystem", "use Database or FileSystem");

        // Reverse proxy
        foreach (var ip in config.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            if (!IPAddress.TryParse(ip, out _))
                Invalid("ForwardedHeaders:KnownProxies", ip, "cần địa chỉ IP", "an IP address is required");
        foreach (var net in config.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            if (!System.Net.IPNetwork.TryParse(net, out _))
                Invalid("ForwardedHeaders:KnownNetworks", net, "cần dải mạng dạng 10.0.0.0/8", "a network such as 10.0.0.0/8 is required");

        return problems;
    }

    /// <summary>
    /// Called first thing in Program: in an enforced environment with problems, prints them and returns false (the
    /// caller exits with <see cref="ExitCode"/>).
    /// </summary>
    public static bool Check(IConfiguration config, IHostEnvironment environment, TextWriter error)
    {
        if (!IsEnforced(environment)) return true;
        var problems = Problems(config);
        if (problems.Count == 0) return true;
        error.WriteLine($"DtiPortal không khởi động: cấu hình chưa đủ ({environment.EnvironmentName}). Xem deploy/README.md. / " +
                        $"DtiPortal will not start: the configuration is incomplete ({environment.EnvironmentName}). See deploy/README.md.");
        foreach (var p in problems) error.WriteLine("  - " + p);
        error.Flush();
        return false;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
