using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Account;

/// <summary>Issue 3: sign-in in Vietnamese, lockout, two-factor for an admin, and a disabled user's open page losing access.</summary>
[Collection(BrowserCollection.Name)]
public class SignInTests : IAsyncLifetime
{
    private readonly BrowserFixture _browser;
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public SignInTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync(new Dictionary<string, string> { ["Security:RevalidationSeconds"] = "3" });
        _context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ProtectedPage_WhenSignedOut_RedirectsToVietnameseSignIn_ThenBack()
    {
        await _page.GotoAsync(_app.BaseUrl + "/don-vi");
        Assert.Contains("/dang-nhap", _page.Url);
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đăng nhập");
        await Expect(_page.Locator("label[for=password]")).ToHaveTextAsync("Mật khẩu");

        await _page.Locator("#username").FillAsync("xa.lacdao");
        await _page.Locator("#password").FillAsync("sai-mat-khau");
        await _page.GetByTestId("login-submit").ClickAsync();
        await Expect(_page.GetByTestId("login-error")).ToHaveTextAsync("Tên đăng nhập hoặc mật khẩu không đúng.");

        await _page.Locator("#password").FillAsync(DemoUsers.Password);
        await _page.GetByTestId("login-submit").ClickAsync();
        await _page.WaitForURLAsync("**/don-vi");
        await Expect(_page.GetByTestId("user-name")).ToHaveTextAsync("Nguyễn Thị Hoa");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đơn vị hành chính");

        await _page.GetByTestId("sign-out").ClickAsync();
        await _page.WaitForURLAsync("**/dang-nhap?daDangXuat=1");
        await Expect(_page.Locator("main")).ToContainTextAsync("Bạn đã đăng xuất.");
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_LocksTheAccount_EvenForTheRightPassword()
    {
        for (var i = 0; i < IdentitySettings.MaxFailedAttempts; i++)
        {
            await _page.GotoAsync(_app.BaseUrl + "/dang-nhap");
            await _page.Locator("#username").FillAsync("thamtra.vanlam");
            await _page.Locator("#password").FillAsync("SaiMatKhau" + i);
            await _page.GetByTestId("login-submit").ClickAsync();
            await Expect(_page.GetByTestId("login-error")).ToBeVisibleAsync();
        }
        await Expect(_page.GetByTestId("login-error")).ToContainTextAsync("tạm khóa");

        await _page.Locator("#password").FillAsync(DemoUsers.Password);
        await _page.GetByTestId("login-submit").ClickAsync();
        await Expect(_page.GetByTestId("login-error")).ToContainTextAsync("Tài khoản đang tạm khóa");
        Assert.Contains("/dang-nhap", _page.Url);
    }

    [Fact]
    public async Task Admin_SignsIn_WithAuthenticatorCode()
    {
        await _page.GotoAsync(_app.BaseUrl + "/dang-nhap");
        await _page.Locator("#username").FillAsync("quantri.hungyen");
        await _page.Locator("#password").FillAsync(DemoUsers.Password);
        await _page.GetByTestId("login-submit").ClickAsync();
        await _page.WaitForURLAsync("**/dang-nhap/ma-xac-thuc**");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Xác thực hai bước");

        await _page.Locator("#code").FillAsync("000000");
        await _page.GetByTestId("2fa-submit").ClickAsync();
        await Expect(_page.GetByTestId("2fa-error")).ToContainTextAsync("Mã xác thực không đúng");

        await _page.Locator("#code").FillAsync(Totp.Code(DemoUsers.AuthenticatorKey, DateTimeOffset.UtcNow));
        await _page.GetByTestId("2fa-submit").ClickAsync();
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("user-name")).ToHaveTextAsync("Hoàng Đức Anh");
    }

    [Fact]
    public async Task PrivilegedUser_WithoutTwoFactor_MustSetItUpBeforeAnythingElse()
    {
        using (var scope = _app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByNameAsync("hoidong.hungyen"))!;
            await users.SetTwoFactorEnabledAsync(user, false);
            await users.ResetAuthenticatorKeyAsync(user);
        }
        await _page.GotoAsync(_app.BaseUrl + "/dang-nhap");
        await _page.Locator("#username").FillAsync("hoidong.hungyen");
        await _page.Locator("#password").FillAsync(DemoUsers.Password);
        await _page.GetByTestId("login-submit").ClickAsync();
        await _page.WaitForURLAsync("**/tai-khoan/xac-thuc-hai-buoc**");
        await Expect(_page.Locator("main")).ToContainTextAsync("bắt buộc đăng nhập bằng ứng dụng xác thực");

        // Any other page sends them back to the set-up.
        await _page.GotoAsync(_app.BaseUrl + "/don-vi");
        await _page.WaitForURLAsync("**/tai-khoan/xac-thuc-hai-buoc**");

        var key = (await _page.GetByTestId("2fa-key").TextContentAsync())!.Replace(" ", "").ToUpperInvariant();
        await _page.Locator("#code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await _page.GetByTestId("2fa-setup-submit").ClickAsync();
        await Browser.WaitForCircuitAsync(_page);
        await _page.GotoAsync(_app.BaseUrl + "/don-vi");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đơn vị hành chính");
    }

    [Fact]
    public async Task DisabledUser_OpenPage_LosesAccessWithinTheRevalidationInterval()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/don-vi");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Đơn vị hành chính");

        using (var scope = _app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByNameAsync("xa.lacdao"))!;
            user.IsDisabled = true;
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);
        }

        // No reload, no click: the open circuit re-checks (every 3 s here, 30 s by default) and sends the page to sign-in.
        await _page.WaitForURLAsync("**/dang-nhap**", new PageWaitForURLOptions { Timeout = 30_000 });
        await _page.Locator("#username").FillAsync("xa.lacdao");
        await _page.Locator("#password").FillAsync(DemoUsers.Password);
        await _page.GetByTestId("login-submit").ClickAsync();
        await Expect(_page.GetByTestId("login-error")).ToContainTextAsync("Tài khoản đã bị vô hiệu hóa");
    }
}
