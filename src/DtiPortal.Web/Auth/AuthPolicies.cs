namespace DtiPortal.Web.Auth;

public static class AuthPolicies
{
    /// <summary>Signed in, even while the two-factor set-up is still pending (the set-up page itself).</summary>
    public const string SignedIn = "SignedIn";
}
