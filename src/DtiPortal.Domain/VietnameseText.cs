using System.Globalization;
using System.Text;

namespace DtiPortal.Domain;

public static class VietnameseText
{
    /// <summary>
    /// Folds Vietnamese text for accent-insensitive search: lower case, diacritics removed, đ → d,
    /// whitespace collapsed. "Lạc Đạo" → "lac dao".
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var lastWasSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace && sb.Length > 0) sb.Append(' ');
                lastWasSpace = true;
                continue;
            }
            lastWasSpace = false;
            sb.Append(c == 'đ' ? 'd' : c);
        }
        return sb.ToString().TrimEnd();
    }
}
