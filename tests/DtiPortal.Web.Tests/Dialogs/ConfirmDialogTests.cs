using DtiPortal.Web.Components.Dialogs;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace DtiPortal.Web.Tests.Dialogs;

/// <summary>The shared yes/no dialog: only its confirm button lets a destructive action go ahead.</summary>
public class ConfirmDialogTests
{
    [Fact]
    public async Task Confirm_ClosesWithOk_AndShowsTheMessageAndVietnameseButtons()
    {
        await using var ctx = PortalTestContext.Create();
        var provider = ctx.Render<MudDialogProvider>();
        var reference = await ShowAsync(ctx, provider, "Khóa tài khoản xa.lacdao?");

        provider.WaitForAssertion(() => Assert.Contains("Khóa tài khoản xa.lacdao?", provider.Markup));
        Assert.Equal("Hủy", provider.Find("[data-testid=confirm-cancel]").TextContent.Trim());
        Assert.Equal("Đồng ý", provider.Find("[data-testid=confirm-ok]").TextContent.Trim());
        provider.Find("[data-testid=confirm-ok]").Click();

        var result = await reference.Result;
        Assert.NotNull(result);
        Assert.False(result.Canceled);
        Assert.Equal(true, result.Data);
        provider.WaitForAssertion(() => Assert.DoesNotContain("Khóa tài khoản xa.lacdao?", provider.Markup));
    }

    [Fact]
    public async Task Cancel_ClosesAsCanceled()
    {
        await using var ctx = PortalTestContext.Create();
        var provider = ctx.Render<MudDialogProvider>();
        var reference = await ShowAsync(ctx, provider, "Đặt lại mật khẩu?");

        provider.WaitForAssertion(() => provider.Find("[data-testid=confirm-cancel]"));
        provider.Find("[data-testid=confirm-cancel]").Click();

        var result = await reference.Result;
        Assert.True(result is null || result.Canceled);
    }

    private static async Task<IDialogReference> ShowAsync(BunitContext ctx, IRenderedComponent<MudDialogProvider> provider, string message)
    {
        var dialogs = ctx.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await provider.InvokeAsync(async () => reference = await dialogs.ShowAsync<ConfirmDialog>("Xác nhận",
            new DialogParameters<ConfirmDialog> { { d => d.Message, message }, { d => d.Color, Color.Error } }));
        return reference!;
    }
}
