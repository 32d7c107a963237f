using DtiPortal.Web.Deployment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>Issue 8: a production machine refuses to start while a required setting is missing, naming it in both languages.</summary>
public class StartupConfigurationTests
{
    private static readonly Dictionary<string, string?> Complete = new()
    {
        ["ConnectionStrings:Dti"] = "Host=db1,db2;Database=dti;Username=dti;Password=x;Target Session Attributes=primary",
        ["Evidence:Store"] = "Directory",
        ["Evidence:Directory"] = "/var/lib/dtiportal/evidence",
        ["Email:Mode"] = "Smtp",
        ["Email:Smtp:Host"] = "smtp.example.gov.vn",
        ["Email:From"] = "DtiPortal <no-reply@dti.example.gov.vn>",
        ["Email:BaseUrl"] = "https://dti.example.gov.vn",
    };

    private static IConfiguration Config(Action<Dictionary<string, string?>>? change = null)
    {
        var values = new Dictionary<string, string?>(Complete);
        change?.Invoke(values);
        // The shipped appsettings.json underneath, as in the real app (its defaults must not satisfy the check).
        var appsettings = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        var builder = new ConfigurationBuilder();
        if (File.Exists(appsettings)) builder.AddJsonFile(appsettings);
        return builder.AddInMemoryCollection(values).Build();
    }

    [Fact]
    public void CompleteConfiguration_Passes()
    {
        Assert.Empty(StartupConfiguration.Problems(Config()));
        Assert.Empty(StartupConfiguration.Problems(Config(v =>
        {
            v["Evidence:Store"] = "S3";
            v["Evidence:Directory"] = null;
            v["Evidence:S3:Bucket"] = "dti";
            v["Evidence:S3:ServiceUrl"] = "https://s3.example.vn";
            v["Email:Mode"] = "None";
            v["Email:Smtp:Host"] = null;
        })));
    }

    [Theory]
    [InlineData("ConnectionStrings:Dti", "chuỗi kết nối PostgreSQL")]
    [InlineData("Evidence:Directory", "thư mục lưu minh chứng")]
    [InlineData("Email:Mode", "cách gửi thư")]
    [InlineData("Email:Smtp:Host", "máy chủ SMTP")]
    [InlineData("Email:BaseUrl", "địa chỉ công khai")]
    public void EachMissingSetting_IsNamedInVietnameseAndEnglish(string key, string vietnamese)
    {
        var problems = StartupConfiguration.Problems(Config(v => v[key] = null));
        var problem = Assert.Single(problems);
        Assert.Contains($"Thiếu cấu hình {key}", problem);
        Assert.Contains(vietnamese, problem);
        Assert.Contains($"Missing setting {key}", problem);
    }

    [Fact]
    public void SmtpWithTheDefaultSender_IsRefused()
    {
        var problem = Assert.Single(StartupConfiguration.Problems(Config(v => v["Email:From"] = null))); // appsettings.json's .local default
        Assert.Contains("Email:From", problem);
    }

    [Theory]
    [InlineData("Evidence:Directory", "storage/evidence", "đường dẫn tuyệt đối")]
    [InlineData("Evidence:Store", "Ftp", "Directory hoặc S3")]
    [InlineData("Email:Mode", "Sendmail", "Smtp, Pickup hoặc None")]
    [InlineData("Email:BaseUrl", "dti.example.gov.vn", "https://")]
    [InlineData("DataProtection:Store", "None", "chỉ dùng khi phát triển")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "nginx-host", "địa chỉ IP")]
    [InlineData("Evidence:MaxFileSizeMB", "0", "số nguyên dương")]
    public void UnsafeValues_AreRefused(string key, string value, string vietnamese)
    {
        var problem = Assert.Single(StartupConfiguration.Problems(Config(v => v[key] = value)));
        Assert.Contains($"'{value}'", problem);
        Assert.Contains(vietnamese, problem);
        Assert.Contains("Invalid setting", problem);
    }

    [Fact]
    public void RedisConfiguration_WhenItCannotBeParsed_IsRefusedWithoutRepeatingThePassword()
    {
        Assert.Empty(StartupConfiguration.Problems(Config(v => v["Redis:Configuration"] = "10.0.0.5:6379,password=bí-mật,ssl=true")));
        var problem = Assert.Single(StartupConfiguration.Problems(Config(v => v["Redis:Configuration"] = "10.0.0.5:6379,passwrd=bí-mật")));
        Assert.Contains("Redis:Configuration không đọc được", problem);
        Assert.DoesNotContain("bí-mật", problem);
    }

    [Fact]
    public void S3WithoutBucket_AndNothingAtAll_ListEveryProblem()
    {
        Assert.Contains(StartupConfiguration.Problems(Config(v => v["Evidence:Store"] = "S3")), p => p.Contains("Evidence:S3:Bucket"));
        var none = StartupConfiguration.Problems(new ConfigurationBuilder().Build());
        foreach (var key in new[] { "ConnectionStrings:Dti", "Evidence:Directory", "Email:Mode", "Email:BaseUrl" })
            Assert.Contains(none, p => p.Contains($"Missing setting {key}"));
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    [InlineData("Testing", true)]
    public void Check_IsEnforcedOutsideDevelopmentAndTesting(string environment, bool passesWithNothing)
    {
        var error = new StringWriter();
        Assert.Equal(passesWithNothing, StartupConfiguration.Check(new ConfigurationBuilder().Build(), new Env(environment), error));
        if (!passesWithNothing)
        {
            Assert.Contains("DtiPortal không khởi động", error.ToString());
            Assert.Contains("DtiPortal will not start", error.ToString());
            Assert.Contains("Thiếu cấu hình ConnectionStrings:Dti", error.ToString());
        }
        Assert.True(StartupConfiguration.Check(Config(), new Env(environment), new StringWriter()));
    }

    private sealed class Env(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "DtiPortal.Web";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
