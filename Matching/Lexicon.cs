namespace Marketplace.Matching;

/// <summary>
/// One sense of the word lexicon: a Chinese word or short term and all its common Russian
/// translations (the first of each the headword), with English or Latin forms where there are any.
/// </summary>
public sealed record LexiconEntry(string Id, string Area, IReadOnlyList<string> Zh, IReadOnlyList<string> Ru, IReadOnlyList<string> En);

/// <summary>
/// The shipped lexicon format, one file per area: <c>zh TAB ru TAB en</c>, forms separated by <c>;</c>,
/// <c>#</c> comments. A row's id is its area and Chinese headword (<c>general-machines:零件</c>), unique within the file.
/// </summary>
public static class LexiconTsv
{
    public static IReadOnlyList<LexiconEntry> Parse(TextReader reader, string area)
    {
        var entries = new List<LexiconEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? line;
        var number = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            if (parts.Length != 3)
                throw new FormatException($"Lexicon {area} line {number}: expected 3 tab-separated columns (zh, ru, en), found {parts.Length}.");
            var zh = GlossaryTsv.Split(parts[0]);
            var ru = GlossaryTsv.Split(parts[1]);
            if (zh.Count == 0 || ru.Count == 0) throw new FormatException($"Lexicon {area} line {number}: a Chinese and a Russian form are required.");
            var id = $"{area}:{zh[0]}";
            if (!seen.Add(id)) throw new FormatException($"Lexicon {area} line {number}: '{zh[0]}' is the headword of another row.");
            entries.Add(new LexiconEntry(id, area, zh, ru, GlossaryTsv.Split(parts[2])));
        }
        return entries;
    }
}
