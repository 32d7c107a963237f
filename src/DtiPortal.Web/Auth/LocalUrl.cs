namespace DtiPortal.Web.Auth;

public static class LocalUrl
{
    /// <summary>
    /// The return address after sign-in, if it stays on this site; otherwise "/". "//host" and "/\host" are refused:
    /// browsers read both as another site.
    /// </summary>
    public static string OrHome(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
