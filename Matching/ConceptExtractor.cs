using System.Text;

namespace Marketplace.Matching;

/// <summary>One concept found in a text, with the words it was found by.</summary>
public sealed record ConceptMatch(string ConceptId, string Language, string Surface);

/// <summary>
/// Finds glossary concepts in listing texts, so that a Chinese text and a Russian text about the
/// same technology share language-neutral concept ids.
/// Chinese: forward longest match over the text (Chinese has no spaces; the longest glossary term
/// at each position wins, so 燃料电池 is not also read as 电池).
/// Russian: the same longest match over stems, so «карбида бора» finds «карбид бора».
/// </summary>
public sealed class ConceptExtractor
{
    readonly Dictionary<string, List<string>> _zh = new(StringComparer.Ordinal);
    readonly int _zhMaxLength;
    readonly Dictionary<string, List<(string[] Stems, string ConceptId)>> _ruByFirstStem = new(StringComparer.Ordinal);
    readonly Func<string, IReadOnlyList<string>> _russianStems;

    /// <param name="russianStems">The Russian analysis chain (tokenize, lowercase, stop words, stem) of the search engine.</param>
    public ConceptExtractor(IEnumerable<Concept> concepts, Func<string, IReadOnlyList<string>> russianStems)
    {
        _russianStems = russianStems;
        foreach (var concept in concepts)
        {
            foreach (var name in concept.Zh)
            {
                var key = NormalizeChinese(name);
                if (key.Length < 2) continue; // one Han character is too ambiguous to stand for a concept
                if (!_zh.TryGetValue(key, out var ids)) _zh[key] = ids = [];
                if (!ids.Contains(concept.Id)) ids.Add(concept.Id);
                _zhMaxLength = Math.Max(_zhMaxLength, key.Length);
            }
            foreach (var name in concept.Ru)
            {
                var stems = russianStems(name).ToArray();
                if (stems.Length == 0) continue;
                if (!_ruByFirstStem.TryGetValue(stems[0], out var list)) _ruByFirstStem[stems[0]] = list = [];
                if (!list.Any(e => e.ConceptId == concept.Id && e.Stems.SequenceEqual(stems))) list.Add((stems, concept.Id));
            }
        }
        foreach (var list in _ruByFirstStem.Values) list.Sort((a, b) => b.Stems.Length.CompareTo(a.Stems.Length));
    }

    public IReadOnlyList<ConceptMatch> Extract(string? zh, string? ru)
    {
        var found = new List<ConceptMatch>();
        if (!string.IsNullOrEmpty(zh)) ExtractChinese(zh, found);
        if (!string.IsNullOrEmpty(ru)) ExtractRussian(ru, found);
        return found;
    }

    void ExtractChinese(string text, List<ConceptMatch> found)
    {
        var normalized = NormalizeChinese(text);
        var i = 0;
        while (i < normalized.Length)
        {
            var matched = 0;
            for (var length = Math.Min(_zhMaxLength, normalized.Length - i); length >= 2; length--)
            {
                if (!_zh.TryGetValue(normalized.Substring(i, length), out var ids)) continue;
                // A Latin name (PLC, DNA) must stand as a word: not "dna" inside "cdna", not "gis" inside "logistics".
                if (IsAsciiWordChar(normalized[i]) && i > 0 && IsAsciiWordChar(normalized[i - 1])) continue;
                if (IsAsciiWordChar(normalized[i + length - 1]) && i + length < normalized.Length && IsAsciiWordChar(normalized[i + length])) continue;
                foreach (var id in ids) found.Add(new ConceptMatch(id, "zh", normalized.Substring(i, length)));
                matched = length;
                break;
            }
            i += Math.Max(1, matched);
        }
    }

    void ExtractRussian(string text, List<ConceptMatch> found)
    {
        var stems = _russianStems(text);
        var i = 0;
        while (i < stems.Count)
        {
            var matched = 0;
            if (_ruByFirstStem.TryGetValue(stems[i], out var candidates))
            {
                foreach (var (termStems, id) in candidates)
                {
                    if (matched > 0 && termStems.Length < matched) break; // longest first; synonyms of equal length still count
                    if (i + termStems.Length > stems.Count || !Matches(stems, i, termStems)) continue;
                    found.Add(new ConceptMatch(id, "ru", string.Join(' ', termStems)));
                    matched = termStems.Length;
                }
            }
            i += Math.Max(1, matched);
        }
    }

    static bool IsAsciiWordChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';

    static bool Matches(IReadOnlyList<string> stems, int start, string[] term)
    {
        for (var k = 0; k < term.Length; k++)
            if (stems[start + k] != term[k]) return false;
        return true;
    }

    /// <summary>Full-width Latin letters and digits to ASCII, lower case; Chinese is left as it is (how Chinese names are compared).</summary>
    public static string NormalizeChinese(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text)
        {
            var c = ch is >= '\uFF01' and <= '\uFF5E' ? (char)(ch - 0xFEE0) : ch;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
