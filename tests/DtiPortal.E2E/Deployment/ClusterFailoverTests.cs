using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Application.Demo;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Deployment;

/// <summary>
/// Issue 8: two published instances behind nginx (the shipped deploy/nginx/dtiportal.conf, TLS, sticky sessions), started
/// by deploy/test/cluster-test.sh. A commune officer signs in through nginx and saves a figure; the instance that served
/// the page is killed; the page reconnects to the other instance (its circuit is new, so the page reloads itself), the
/// user is still signed in (the key ring is shared through PostgreSQL), the saved figure is there and the next one saves.
/// Not part of the ordinary `dotnet test` run (Category=Cluster): it needs the cluster the script starts.
/// </summary>
[Trait("Category", "Cluster")]
[Collection(BrowserCollection.Name)]
public class ClusterFailoverTests(BrowserFixture browser)
{
    private static string Env(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs two app instances behind nginx. Run deploy/test/cluster-test.sh " +
                "(it publishes the app, starts the cluster and runs this test), not dotnet test directly.");

    /// <summary>DTI_CLUSTER_INSTANCES = "app1=pid:port,app2=pid:port".</summary>
    private static Dictionary<string, (int Pid, int Port)> Instances() =>
        Env("DTI_CLUSTER_INSTANCES").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => i.Split('=', ':'))
            .ToDictionary(p => p[0], p => (int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture)));

    [Fact]
    public async Task SignedInUser_KeepsWorkingOnTheOtherInstance_WhenTheirInstanceDies()
    {
        var url = Env("DTI_CLUSTER_URL").TrimEnd('/');
        var instances = Instances();
        Assert.True(instances.Count >= 2, "DTI_CLUSTER_INSTANCES lists fewer than two instances");
        SetDefaultExpectTimeout(20_000);

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "vi-VN", IgnoreHTTPSErrors = true, // the script's self-signed certificate
        });
        var page = await context.NewPageAsync();

        // Sign in through nginx, open the assessment, type a figure and wait until it is saved.
        await page.GotoAsync($"{url}/dang-nhap?ReturnUrl=%2Fdanh-gia");
        await page.Locator("#username").FillAsync("xa.lacdao");
        await page.Locator("#password").FillAsync(DemoUsers.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var link = page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync();
        var id = Regex.Match(await link.GetAttributeAsync("href") ?? "", @"/danh-gia/(\d+)").Groups[1].Value;
        Assert.NotEmpty(id);
        await page.GotoAsync($"{url}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        Assert.Contains("dti_affinity", string.Join(";", (await context.CookiesAsync()).Select(c => c.Name)));
        var first = await ServingInstanceAsync(page);
        Assert.True(instances.ContainsKey(first), $"/health/live named '{first}', not one of {string.Join(", ", instances.Keys)}");

        var figure = (9000 + Random.Shared.Next(1000)).ToString(CultureInfo.InvariantCulture);
        await DemoEntry.OpenSectionAsync(page, "general");
        await page.GetByTestId("input-general:1.4").FillAsync(figure);
        await Expect(page.GetByTestId("status-general:1.4")).ToContainTextAsync("Đã lưu lúc");
        Assert.Equal(first, await ServingInstanceAsync(page)); // sticky: the same browser stays on its instance

        // The instance that served the page dies (as a crashed machine would: no graceful shutdown).
        await page.EvaluateAsync("() => { window.__beforeFailover = true; }");
        using (var process = Process.GetProcessById(instances[first].Pid)) process.Kill(entireProcessTree: true);

        // Blazor reconnects through nginx to the other instance, which does not know the circuit: reconnect.js reloads the
        // page (what the user would get from the "Tải lại trang" button), and the new page opens a circuit there.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if (await page.EvaluateAsync<bool>("() => window.__beforeFailover !== true && window.__dtiCircuitUp === true")) break;
            }
            catch (PlaywrightException) { /* the page is navigating */ }
            Assert.True(DateTime.UtcNow < deadline, $"the page did not come back on another instance within 90 s (url {page.Url})");
            await Task.Delay(500);
        }

        Assert.DoesNotContain("/dang-nhap", page.Url); // still signed in: the other instance accepts the cookie
        Assert.EndsWith($"/danh-gia/{id}", new Uri(page.Url).AbsolutePath);
        var second = await ServingInstanceAsync(page);
        Assert.NotEqual(first, second);
        await DemoEntry.OpenSectionAsync(page, "general");
        await Expect(page.GetByTestId("input-general:1.4")).ToHaveValueAsync(figure); // the saved figure is there

        // And the user goes on: the next figure saves on the new instance, and both survive a reload.
        await DemoEntry.OpenSectionAsync(page, "1"); // the page opens only the section where work remains
        await page.GetByTestId("input-1.2.a").FillAsync("3");
        await Expect(page.GetByTestId("status-1.2.a")).ToContainTextAsync("Đã lưu lúc");
        await page.ReloadAsync();
        await Browser.WaitForCircuitAsync(page);
        Assert.DoesNotContain("/dang-nhap", page.Url);
        await DemoEntry.OpenSectionAsync(page, "general");
        await Expect(page.GetByTestId("input-general:1.4")).ToHaveValueAsync(figure);
        await DemoEntry.OpenSectionAsync(page, "1");
        await Expect(page.GetByTestId("input-1.2.a")).ToHaveValueAsync("3");
        Assert.Equal(second, await ServingInstanceAsync(page));
        Console.WriteLine($"cluster: page served by {first}, killed it; continued on {second} signed in, figure {figure} kept");
    }

    /// <summary>The instance this browser is routed to: /health/live through nginx with the browser's affinity cookie.</summary>
    private static Task<string> ServingInstanceAsync(IPage page) =>
        page.EvaluateAsync<string>("async () => (await (await fetch('/health/live', { cache: 'no-store' })).json()).instance");
}
