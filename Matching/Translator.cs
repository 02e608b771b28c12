namespace Marketplace.Matching;

/// <summary>A word or term found in a source text and what it may be in the other language (most usual first).</summary>
/// <param name="Source">The form as the lexicon writes it.</param>
/// <param name="Targets">Its translations: one synonym group, scored as one.</param>
public sealed record TranslatedTerm(string Source, IReadOnlyList<string> Targets);

/// <summary>
/// Word-by-word translation between Chinese and Russian over the lexicon and the glossary.
/// Chinese: forward longest match over the lexicon's forms, so a compound the lexicon lacks falls
/// into the parts it has (空气消毒机 → 空气 · 消毒 · 机); characters no form covers are passed over.
/// Russian: the same over stems, so multiword terms are found before their words and any inflected
/// form finds its entry («центробежных насосов» → «центробежный насос»).
/// Latin acronyms an entry names (PLC, PVC, GLONASS) translate too, either way, and are among the
/// translations offered, since a listing in either language may write the acronym instead of the
/// words: 聚氯乙烯 → ПВХ · поливинилхлорид · PVC; ПЛК → 可编程逻辑控制器 · PLC; PVC in a Chinese text → ПВХ.
/// </summary>
public sealed class Translator
{
    /// <summary>Translations kept per source form: the usual ones; a long tail of rare renderings costs query time and adds noise.</summary>
    public const int MaxTargets = 6;

    /// <summary>Latin acronyms offered beside a word's translations, beyond <see cref="MaxTargets"/>.</summary>
    public const int MaxAcronyms = 2;

    readonly Dictionary<string, (string Source, List<string> Targets)> _zh = new(StringComparer.Ordinal);
    readonly Dictionary<string, (string Source, List<string> Targets)> _latin = new(StringComparer.Ordinal);
    readonly int _zhMaxLength;
    readonly Dictionary<string, List<(string[] Stems, string Source, List<string> Targets)>> _ruByFirstStem = new(StringComparer.Ordinal);
    readonly Func<string, IReadOnlyList<string>> _russianStems;

    /// <param name="pairs">
    /// Chinese, Russian and Latin forms that translate each other (lexicon entries, glossary concepts);
    /// of the Latin forms only acronyms and codes are used (PLC, LiDAR, Ti-6Al-4V), not English words.
    /// </param>
    /// <param name="russianStems">The Russian analysis chain of the search engine.</param>
    public Translator(IEnumerable<(IReadOnlyList<string> Zh, IReadOnlyList<string> Ru, IReadOnlyList<string> Latin)> pairs,
        Func<string, IReadOnlyList<string>> russianStems)
    {
        _russianStems = russianStems;
        var ruIndex = new Dictionary<string, (string[] Stems, string Source, List<string> Targets)>(StringComparer.Ordinal);
        foreach (var (zh, ru, allLatin) in pairs)
        {
            var latin = allLatin.Where(IsAcronym).Select(f => f.Trim()).ToList();
            foreach (var form in zh)
            {
                var key = ConceptExtractor.NormalizeChinese(form.Trim());
                if (key.Length == 0) continue;
                if (!_zh.TryGetValue(key, out var entry)) _zh[key] = entry = (form.Trim(), []);
                Merge(entry.Targets, ru, latin);
                _zhMaxLength = Math.Max(_zhMaxLength, key.Length);
            }
            foreach (var form in ru)
            {
                var stems = russianStems(form).ToArray();
                if (stems.Length == 0) continue;
                var key = string.Join(' ', stems);
                if (!ruIndex.TryGetValue(key, out var entry)) ruIndex[key] = entry = (stems, form.Trim(), []);
                Merge(entry.Targets, zh, latin);
            }
            // An acronym in a text of either language: into the other language's words (and the entry's other acronyms).
            foreach (var form in latin)
            {
                var others = latin.Where(l => !l.Equals(form, StringComparison.OrdinalIgnoreCase)).ToList();
                var key = form.ToLowerInvariant();
                if (!_latin.TryGetValue(key, out var toRussian)) _latin[key] = toRussian = (form, []);
                Merge(toRussian.Targets, ru, others);
                var stems = russianStems(form).ToArray();
                if (stems.Length == 0) continue;
                var ruKey = string.Join(' ', stems);
                if (!ruIndex.TryGetValue(ruKey, out var toChinese)) ruIndex[ruKey] = toChinese = (stems, form, []);
                Merge(toChinese.Targets, zh, others);
            }
        }
        foreach (var entry in ruIndex.Values)
        {
            if (!_ruByFirstStem.TryGetValue(entry.Stems[0], out var list)) _ruByFirstStem[entry.Stems[0]] = list = [];
            list.Add(entry);
        }
        foreach (var list in _ruByFirstStem.Values) list.Sort((a, b) => b.Stems.Length.CompareTo(a.Stems.Length));
    }

    /// <summary>An acronym or code, not an English word: one token of Latin letters, digits and hyphens with two capitals or more (PLC, LiDAR, Ti-6Al-4V).</summary>
    public static bool IsAcronym(string form)
    {
        var f = form.Trim();
        return f.Length is >= 2 and <= 16 && f.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && char.IsAsciiLetterOrDigit(f[0])
               && f.Count(char.IsAsciiLetterUpper) >= 2;
    }

    static void Merge(List<string> targets, IReadOnlyList<string> words, IReadOnlyList<string> acronyms)
    {
        Merge(targets, words);
        var added = targets.Count(t => acronyms.Contains(t, StringComparer.OrdinalIgnoreCase));
        foreach (var acronym in acronyms)
        {
            if (added >= MaxAcronyms) break;
            if (targets.Contains(acronym, StringComparer.OrdinalIgnoreCase)) continue;
            targets.Add(acronym);
            added++;
        }
    }

    static void Merge(List<string> targets, IReadOnlyList<string> more)
    {
        foreach (var form in more)
        {
            var trimmed = form.Trim();
            if (trimmed.Length > 0 && targets.Count < MaxTargets && !targets.Contains(trimmed, StringComparer.OrdinalIgnoreCase)) targets.Add(trimmed);
        }
    }

    /// <summary>The words and terms of a Chinese text, each with its Russian translations, one per occurrence.</summary>
    public IReadOnlyList<TranslatedTerm> FromChinese(string? text)
    {
        var found = new List<TranslatedTerm>();
        if (string.IsNullOrEmpty(text)) return found;
        var normalized = ConceptExtractor.NormalizeChinese(text);
        var i = 0;
        while (i < normalized.Length)
        {
            var matched = 0;
            if (IsHan(normalized[i]))
            {
                for (var length = Math.Min(_zhMaxLength, normalized.Length - i); length >= 1; length--)
                {
                    if (!_zh.TryGetValue(normalized.Substring(i, length), out var entry)) continue;
                    found.Add(new TranslatedTerm(entry.Source, entry.Targets));
                    matched = length;
                    break;
                }
            }
            else if (char.IsAsciiLetterOrDigit(normalized[i]) && (i == 0 || !char.IsAsciiLetterOrDigit(normalized[i - 1])))
            {
                // A Latin token: an acronym the lexicon knows translates; other codes and numbers are evidence of their own (code terms).
                var end = i;
                while (end < normalized.Length && (char.IsAsciiLetterOrDigit(normalized[end]) || normalized[end] == '-' && end + 1 < normalized.Length
                           && char.IsAsciiLetterOrDigit(normalized[end + 1]))) end++;
                if (_latin.TryGetValue(normalized[i..end], out var entry)) found.Add(new TranslatedTerm(entry.Source, entry.Targets));
                matched = end - i;
            }
            i += Math.Max(1, matched);
        }
        return found;
    }

    /// <summary>The words and terms of a Russian text, each with its Chinese translations, one per occurrence.</summary>
    public IReadOnlyList<TranslatedTerm> FromRussian(string? text)
    {
        var found = new List<TranslatedTerm>();
        if (string.IsNullOrEmpty(text)) return found;
        var stems = _russianStems(text);
        var i = 0;
        while (i < stems.Count)
        {
            var matched = 0;
            if (_ruByFirstStem.TryGetValue(stems[i], out var candidates))
            {
                foreach (var (termStems, source, targets) in candidates)
                {
                    if (i + termStems.Length > stems.Count || !Matches(stems, i, termStems)) continue;
                    found.Add(new TranslatedTerm(source, targets));
                    matched = termStems.Length;
                    break;
                }
            }
            i += Math.Max(1, matched);
        }
        return found;
    }

    static bool Matches(IReadOnlyList<string> stems, int start, string[] term)
    {
        for (var k = 0; k < term.Length; k++)
            if (stems[start + k] != term[k]) return false;
        return true;
    }

    static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
