using MudBlazor;

namespace DtiPortal.Web.Components.Theme;

/// <summary>
/// The portal's one MudBlazor theme (issue 13): the indigo of the earlier pages, Noto Sans (Debian's fonts draw every
/// Vietnamese letter with two marks; Roboto would be fetched from the network, which the portal never does).
/// </summary>
public static class PortalTheme
{
    public static readonly string[] FontFamily = ["Noto Sans", "Roboto", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            PrimaryDarken = "#303f9f",
            Secondary = "#00796b",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#b26a00",
            Error = "#b00020",
            AppbarBackground = "#3f51b5",
            AppbarText = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#263238",
            DrawerIcon = "#3f51b5",
            Background = "#fafafa",
            TextPrimary = "#1f2328",
            TextSecondary = "#4a5057", // 7:1 on white: secondary text stays readable (WCAG AA with margin)
            ActionDefault = "#4a5057",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontFamily },
            H1 = new H1Typography { FontFamily = FontFamily, FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H2 = new H2Typography { FontFamily = FontFamily, FontSize = "1.35rem", FontWeight = "600", LineHeight = "1.35" },
            H3 = new H3Typography { FontFamily = FontFamily, FontSize = "1.15rem", FontWeight = "600", LineHeight = "1.4" },
            Button = new ButtonTypography { FontFamily = FontFamily, TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "260px" },
    };
}
