using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Application.Identity;

/// <summary>
/// Temporary passwords that admins hand out (account creation, import, reset). Random from a cryptographic source,
/// without look-alike characters (0/O, 1/l/I) so they can be read out over the phone, and always satisfying the
/// policy of <see cref="IdentitySettings"/> (length, digit, lower, upper, unique characters, symbol if required).
/// </summary>
public static class TemporaryPassword
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!#$%*?"; // none of = + - @, which spreadsheets read as formulas

    public static string Generate(PasswordOptions policy)
    {
        var length = Math.Max(policy.RequiredLength, 12) + 2;
        var chars = new List<char>
        {
            Pick(Upper), Pick(Lower), Pick(Digits),
        };
        if (policy.RequireNonAlphanumeric) chars.Add(Pick(Symbols));
        var all = Upper + Lower + Digits;
        while (chars.Count < length || chars.Distinct().Count() < policy.RequiredUniqueChars)
            chars.Add(Pick(all));
        // Shuffle so the required classes are not always at the start.
        for (var i = chars.Count - 1; i > 0; i--)
        {
            var j = RandomNumberGenerator.GetInt32(i + 1);
            (chars[i], chars[j]) = (chars[j], chars[i]);
        }
        return new string([.. chars]);
    }

    private static char Pick(string alphabet) => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
}

/// <summary>Claims the user administration stores on an account (AspNetUserClaims, no schema change).</summary>
public static class AccountClaims
{
    /// <summary>
    /// Set when an admin creates an account or resets its password: the password is temporary and the user should
    /// choose their own after signing in. The sign-in flow may read it and remove it once the password is changed.
    /// </summary>
    public const string MustChangePassword = "dti:must-change-password";
}
