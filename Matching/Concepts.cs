namespace Marketplace.Matching;

/// <summary>
/// A language-neutral concept of the bilingual glossary: one technical notion with its Chinese and
/// Russian names. The first name of each language is the label; the others are synonyms and abbreviations.
/// </summary>
public sealed record Concept(string Id, string Field, IReadOnlyList<string> Zh, IReadOnlyList<string> Ru)
{
    public string ZhLabel => Zh.Count > 0 ? Zh[0] : "";
    public string RuLabel => Ru.Count > 0 ? Ru[0] : "";
}

/// <summary>The shipped glossary format: <c>id TAB field TAB zh TAB ru</c>, synonyms separated by <c>;</c>, <c>#</c> comments.</summary>
public static class GlossaryTsv
{
    public static IReadOnlyList<Concept> Parse(TextReader reader)
    {
        var concepts = new List<Concept>();
        var seen = new HashSet<string>();
        string? line;
        var number = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("id\t", StringComparison.Ordinal)) continue;
            var parts = line.Split('\t');
            if (parts.Length != 4)
                throw new FormatException($"Glossary line {number}: expected 4 tab-separated columns, found {parts.Length}.");
            if (!seen.Add(parts[0]))
                throw new FormatException($"Glossary line {number}: id '{parts[0]}' is used twice.");
            concepts.Add(new Concept(parts[0], parts[1], Split(parts[2]), Split(parts[3])));
        }
        return concepts;
    }

    public static IReadOnlyList<string> Split(string names) =>
        names.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static string Join(IEnumerable<string> names) => string.Join("; ", names);
}
