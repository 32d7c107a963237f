using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

/// <summary>
/// `dti bench entry` (issue 5 speed targets): the entry page's first render over HTTP with a signed-in cookie, and
/// SaveValue called in-process against the same database. Prints p50/p95 of each. scripts/bench-entry.sh runs it
/// against a freshly seeded demo database and a Release build of the web app.
/// </summary>
internal static partial class EntryBench
{
    public static Command Command()
    {
        var urlOption = new Option<string>("--url") { Description = "Địa chỉ web app đang chạy", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var userOption = new Option<string>("--user") { Description = "Tài khoản cán bộ xã", DefaultValueFactory = _ => "xa.lacdao" };
        var passwordOption = new Option<string>("--password") { Description = "Mật khẩu", DefaultValueFactory = _ => Application.Demo.DemoUsers.Password };
        var requestsOption = new Option<int>("--requests") { Description = "Số lần tải trang nhập số liệu", DefaultValueFactory = _ => 200 };
        var savesOption = new Option<int>("--saves") { Description = "Số lần lưu một giá trị", DefaultValueFactory = _ => 500 };
        var command = new Command("entry", "Đo thời gian hiển thị trang nhập số liệu (HTTP) và thời gian lưu một giá trị (SaveValue)");
        command.Options.Add(urlOption);
        command.Options.Add(userOption);
        command.Options.Add(passwordOption);
        command.Options.Add(requestsOption);
        command.Options.Add(savesOption);
        command.SetAction(async (parseResult, ct) =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var url = parseResult.GetValue(urlOption)!.TrimEnd('/');
            var (client, id) = await SignInAsync(url, parseResult.GetValue(userOption)!, parseResult.GetValue(passwordOption)!, ct);
            using (client)
            {
                var render = await BenchTiming.TimeAsync(10, parseResult.GetValue(requestsOption), async () =>
                {
                    using var response = await client.GetAsync($"{url}/danh-gia/{id}", ct);
                    var html = await response.Content.ReadAsStringAsync(ct);
                    if (response.StatusCode != HttpStatusCode.OK || !html.Contains("Thông tin chung", StringComparison.Ordinal))
                        throw new InvalidOperationException($"Trang /danh-gia/{id} trả về {(int)response.StatusCode} hoặc thiếu nội dung.");
                });
                BenchTiming.Report($"Hiển thị lần đầu /danh-gia/{id} (HTTP, đã đăng nhập)", render, 300);
            }
            return await AppHost.RunAsync(async services => await SaveBenchAsync(services, id, parseResult.GetValue(savesOption), ct));
        });
        return command;
    }

    private static async Task<int> SaveBenchAsync(ServiceProvider services, int id, int saves, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var entry = await scope.ServiceProvider.GetRequiredService<AssessmentQueries>().GetEntryAsync(id, ct);
        var general = entry.Set.General.FirstOrDefault(g => g.Type is Domain.Criteria.InputType.Integer or Domain.Criteria.InputType.Number)
            ?? throw new InvalidOperationException("Bộ chỉ số không có mục thông tin chung kiểu số để đo.");
        var address = "general:" + general.Code;
        var version = entry.Values.GetValueOrDefault(address)?.Version ?? 0;
        var original = entry.Values.GetValueOrDefault(address)?.Value;
        var save = scope.ServiceProvider.GetRequiredService<SaveValue>();
        var i = 0;
        var times = await BenchTiming.TimeAsync(20, saves, async () =>
        {
            var result = await save.HandleAsync(id, address, (9000 + i++ % 500).ToString(CultureInfo.InvariantCulture), version, ct);
            if (!result.Saved) throw new InvalidOperationException($"Không lưu được {address}: {result.Error}");
            version = result.Version;
        });
        BenchTiming.Report($"SaveValue {address} (trong tiến trình, cùng cơ sở dữ liệu)", times, 50);
        var score = scope.ServiceProvider.GetRequiredService<ScoreAssessment>();
        var scoring = await BenchTiming.TimeAsync(3, Math.Max(10, saves / 10), async () => await score.HandleAsync(id, ct));
        BenchTiming.Report("ScoreAssessment (tính lại điểm sau mỗi lần lưu; cả nhóm đơn vị của đợt)", scoring, 300);
        var restore = original is null ? null : Convert.ToString(original, CultureInfo.InvariantCulture);
        await save.HandleAsync(id, address, restore, version, ct);
        return 0;
    }

    private static async Task<(HttpClient Client, int AssessmentId)> SignInAsync(string url, string user, string password, CancellationToken ct)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true };
        var client = new HttpClient(handler);
        var form = await client.GetStringAsync($"{url}/dang-nhap", ct);
        var fields = HiddenInput().Matches(form).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.UserName"] = user;
        fields["Input.Password"] = password;
        using var posted = await client.PostAsync($"{url}/dang-nhap", new FormUrlEncodedContent(fields), ct);
        var list = await client.GetStringAsync($"{url}/danh-gia", ct);
        var match = AssessmentLink().Match(list);
        if (!match.Success) throw new InvalidOperationException($"Đăng nhập '{user}' không thành công hoặc không có bản đánh giá nào ở /danh-gia.");
        return (client, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }


    [GeneratedRegex(@"<input[^>]*type=""hidden""[^>]*name=""(?<name>[^""]+)""[^>]*value=""(?<value>[^""]*)""")]
    private static partial Regex HiddenInput();

    [GeneratedRegex(@"href=""/danh-gia/(\d+)""")]
    private static partial Regex AssessmentLink();
}
