using FluentValidation;
using Marketplace.Api.Http;

namespace Marketplace.Api.Validation;

/// <summary>
/// Which writing system a text is in. A <c>zh</c> text is mostly Han and a <c>ru</c> text mostly
/// Cyrillic: of the Han characters and Cyrillic letters in it, more than half are of its own
/// script. Latin letters and digits are not counted, because codes such as PLC, S7-1200 or PLGA
/// appear in texts of both languages.
/// </summary>
public static class Scripts
{
    /// <summary>Han characters and Cyrillic letters in <paramref name="text"/>.</summary>
    public static (int Han, int Cyrillic) Count(string text)
    {
        int han = 0, cyrillic = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsHan(rune.Value)) han++;
            else if (IsCyrillic(rune.Value)) cyrillic++;
        }
        return (han, cyrillic);
    }

    static bool IsHan(int c) => c is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x323AF;
    static bool IsCyrillic(int c) => c is >= 0x0400 and <= 0x052F or >= 0x1C80 and <= 0x1C8F or >= 0x2DE0 and <= 0x2DFF or >= 0xA640 and <= 0xA69F;

    /// <summary>A Chinese text: it has Han characters, and more of them than Cyrillic letters.</summary>
    public static bool IsChinese(string text) => Count(text) is var (han, cyrillic) && han > 0 && han > cyrillic;

    /// <summary>A Russian text: it has Cyrillic letters, and more of them than Han characters.</summary>
    public static bool IsRussian(string text) => Count(text) is var (han, cyrillic) && cyrillic > 0 && cyrillic > han;

    /// <summary>A Chinese keyword may also be a Latin code (MIM, PLGA), but not mostly Cyrillic.</summary>
    public static bool IsChineseKeyword(string keyword) => Count(keyword) is var (han, cyrillic) && (cyrillic == 0 || han > cyrillic);

    /// <summary>A Russian keyword may also be a Latin code, but not mostly Han.</summary>
    public static bool IsRussianKeyword(string keyword) => Count(keyword) is var (han, cyrillic) && (han == 0 || cyrillic > han);
}

/// <summary>
/// Characters no stored text may hold: control characters (NUL, escape, C1 controls; a long text
/// may keep tab and line breaks), unpaired UTF-16 surrogates and the non-characters U+FFFE/U+FFFF.
/// PostgreSQL refuses NUL outright, and none of them means anything in a listing.
/// </summary>
public static class ControlCharacters
{
    public static bool In(string? text, bool allowLineBreaks = false)
    {
        if (text is null) return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
                else return true;
            }
            else if (char.IsLowSurrogate(c) || c is '\uFFFE' or '\uFFFF') return true;
            else if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')) return true;
        }
        return false;
    }

    /// <summary>Refuses a string with control characters, naming the rule in the caller's language.</summary>
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule, bool allowLineBreaks = false) =>
        rule.Must(s => !In(s, allowLineBreaks)).WithMessage(_ => Messages.Get(Messages.ControlCharacters));
}

/// <summary>Free texts in zh, ru and en as stored: trimmed, blank languages left out.</summary>
public static class LocalizedTexts
{
    /// <summary>The text as written, trimmed, blank languages left out; null when none is left.</summary>
    public static Marketplace.Contracts.LocalizedText? Cleaned(this Marketplace.Contracts.LocalizedText? text)
    {
        static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var cleaned = text is null ? null : new Marketplace.Contracts.LocalizedText { Zh = Trimmed(text.Zh), Ru = Trimmed(text.Ru), En = Trimmed(text.En) };
        return cleaned is { Zh: null, Ru: null, En: null } ? null : cleaned;
    }
}
