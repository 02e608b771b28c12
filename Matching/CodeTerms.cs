using System.Text.RegularExpressions;

namespace Marketplace.Matching;

/// <summary>
/// Latin abbreviations, grades and formulas (PLGA, HVOF, CD163, B4C, R744) read the same in a
/// Chinese and a Russian text; they join the language-neutral concept field as <c>x:</c> terms.
/// A Cyrillic model code or grade (ВТ6, Ст3, 12Х18Н10Т, Ми-8) is the same term as its Latin
/// spelling: it is read both letter by sound (VT6, St3, 12Kh18N10T) and letter by look (12X18H10T),
/// the two ways such codes are written in Latin.
/// </summary>
public static partial class CodeTerms
{
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex Token();

    // A Cyrillic code: letters and digits with at least one of each (a plain word or number is not a code).
    [GeneratedRegex(@"(?<![\p{L}\d])(?=[\p{IsCyrillic}\d-]*\d)(?=[\d-]*\p{IsCyrillic})[\p{IsCyrillic}\d]+(?:-[\p{IsCyrillic}\d]+)*(?![\p{L}\d])")]
    private static partial Regex CyrillicCode();

    [GeneratedRegex(@"^[\d-]+\p{L}+$")]
    private static partial Regex FigureWithUnit();

    static readonly Dictionary<char, string> BySound = new()
    {
        ['а'] = "a", ['б'] = "b", ['в'] = "v", ['г'] = "g", ['д'] = "d", ['е'] = "e", ['ё'] = "e", ['ж'] = "zh", ['з'] = "z", ['и'] = "i",
        ['й'] = "y", ['к'] = "k", ['л'] = "l", ['м'] = "m", ['н'] = "n", ['о'] = "o", ['п'] = "p", ['р'] = "r", ['с'] = "s", ['т'] = "t",
        ['у'] = "u", ['ф'] = "f", ['х'] = "kh", ['ц'] = "ts", ['ч'] = "ch", ['ш'] = "sh", ['щ'] = "shch", ['ъ'] = "", ['ы'] = "y", ['ь'] = "",
        ['э'] = "e", ['ю'] = "yu", ['я'] = "ya",
    };

    // Letters with a Latin look-alike, as steel and alloy grades are often written (12X18H10T).
    static readonly Dictionary<char, char> ByLook = new()
    {
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['с'] = 'c', ['т'] = 't',
        ['у'] = 'y', ['х'] = 'x',
    };

    // Units and words that appear in any technical text and say nothing about the technology.
    static readonly HashSet<string> Noise = new(StringComparer.OrdinalIgnoreCase)
    {
        "mm", "cm", "km", "kg", "m2", "m3", "t/h", "h", "s", "m", "kw", "mw", "gw", "kwh", "mwh", "kv", "mpa", "gpa", "kpa", "hz", "khz", "mhz", "ghz", "nm",
        "ml", "mg", "ppm", "db", "rpm", "gb", "tb", "ma", "kn", "mev", "kev", "ev", "mah", "wh", "kgy", "gy", "kw/h",
        "iso", "gost", "gb/t", "ce", "tc", "ltd", "co", "inc", "llc", "the", "and", "of", "for", "with", "in", "to", "a", "an",
    };

    public static IEnumerable<string> Extract(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        foreach (Match m in Token().Matches(text))
        {
            var token = m.Value.ToLowerInvariant();
            if (token.Length < 2 || token.Split('/', '-').All(part => part.Length < 2 || Noise.Contains(part))) continue;
            yield return "x:" + token;
        }
        foreach (Match m in CyrillicCode().Matches(text))
        {
            // Not an ordinal or a figure with its unit (5-й, 3-х, 2020г, 220В): a code starts its letters with a capital and goes on after them.
            var firstLetter = m.Value.First(char.IsLetter);
            if (!char.IsUpper(firstLetter) || FigureWithUnit().IsMatch(m.Value)) continue;
            var code = m.Value.ToLowerInvariant();
            var bySound = string.Concat(code.Select(c => BySound.TryGetValue(c, out var latin) ? latin : c.ToString()));
            yield return "x:" + bySound;
            if (code.All(c => !BySound.ContainsKey(c) || ByLook.ContainsKey(c)))
            {
                var byLook = new string(code.Select(c => ByLook.TryGetValue(c, out var latin) ? latin : c).ToArray());
                if (byLook != bySound) yield return "x:" + byLook;
            }
        }
    }
}
