using System.Text.RegularExpressions;

namespace Marketplace.Matching;

/// <summary>
/// Latin abbreviations, grades and formulas (PLGA, HVOF, CD163, B4C, R744) read the same in a
/// Chinese and a Russian text; they join the language-neutral concept field as <c>x:</c> terms.
/// </summary>
public static partial class CodeTerms
{
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9]*(?:[-/][A-Za-z0-9]+)*|[0-9]+[A-Za-z][A-Za-z0-9]*")]
    private static partial Regex Token();

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
    }
}
