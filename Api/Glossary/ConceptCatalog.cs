using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Glossary;

/// <summary>
/// The glossary in memory: its concepts by id and the extractor that finds them in listing texts.
/// Swapped as a whole when the glossary changes, so readers never see half a change;
/// <see cref="Revision"/> says which state of the glossary table it holds.
/// </summary>
public sealed class ConceptCatalog(TextAnalysis analysis)
{
    volatile Snapshot _current = new(new Dictionary<string, Concept>(), new ConceptExtractor([], analysis.RussianStems),
        new Translator([], analysis.RussianStems), -1);

    sealed record Snapshot(IReadOnlyDictionary<string, Concept> Concepts, ConceptExtractor Extractor, Translator Translator, long Revision);

    /// <summary>The vocabulary revision loaded (glossary and lexicon); -1 before the first load.</summary>
    public long Revision => _current.Revision;

    /// <summary>Replaces the vocabulary: the glossary's concepts, and the translator over the lexicon and the glossary's name pairs.</summary>
    public void Load(IEnumerable<Concept> concepts, IEnumerable<LexiconEntry> lexicon, long revision)
    {
        var list = concepts.ToList();
        var pairs = lexicon.Select(e => (e.Zh, e.Ru, e.En)).Concat(list.Select(c => (c.Zh, c.Ru, (IReadOnlyList<string>)[])));
        _current = new Snapshot(list.ToDictionary(c => c.Id), new ConceptExtractor(list, analysis.RussianStems),
            new Translator(pairs, analysis.RussianStems), revision);
    }

    /// <summary>
    /// The source's words translated into each language it is not written in (Chinese into Russian,
    /// Russian into Chinese): one group per source word, its translations the alternatives, seen as
    /// often as the word (a title or keyword counts twice, as for the source's own words).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TermGroup>> TranslationsOf(ListingContent content)
    {
        var translator = _current.Translator;
        var result = new Dictionary<string, IReadOnlyList<TermGroup>>();
        void Translate(string target, Func<string?, IReadOnlyList<TranslatedTerm>> translate, string? title, IReadOnlyList<string>? keywords, string? description)
        {
            var occurrences = translate(title).Concat(translate(Join(keywords))).Select(t => (t, 2.0))
                .Concat(translate(description).Select(t => (t, 1.0)));
            var groups = occurrences.GroupBy(o => o.t.Source)
                .Select(g => new TermGroup(g.Key, g.First().t.Targets, g.Sum(o => o.Item2), IsHeadMorpheme(g.Key) ? HeadWeight : 1))
                .ToList();
            if (groups.Count > 0) result[target] = groups;
        }
        var texts = content.Texts();
        if (texts.ContainsKey(Languages.Zh) && !texts.ContainsKey(Languages.Ru))
            Translate(Languages.Ru, translator.FromChinese, content.Title?.Zh, content.Keywords?.Zh, content.Description?.Zh);
        if (texts.ContainsKey(Languages.Ru) && !texts.ContainsKey(Languages.Zh))
            Translate(Languages.Zh, translator.FromRussian, content.Title?.Ru, content.Keywords?.Ru, content.Description?.Ru);
        return result;
    }

    /// <summary>
    /// A lone Chinese character the translator fell back on (机, 器, 仪, 车, 泵 of a compound the lexicon
    /// lacks) names the kind of thing, which neighbours share; the words before it set the technology
    /// apart. It counts at <see cref="HeadWeight"/>.
    /// </summary>
    static bool IsHeadMorpheme(string source) => source.Length == 1 && source[0] >= '\u3400';

    public const double HeadWeight = 0.5;

    /// <summary>Concept ids and code terms of a listing's Chinese and Russian texts, one entry per occurrence.</summary>
    public IReadOnlyList<string> ConceptsOf(ListingContent content) => Occurrences(content).Select(o => o.Id).ToList();

    /// <summary>
    /// The source side of a match: each concept once, weighted by how often and where it occurs
    /// (a title or keyword counts twice: it names the technology) and by how specific it is
    /// (general engineering vocabulary counts half).
    /// </summary>
    public IReadOnlyList<WeightedConcept> WeightedConceptsOf(ListingContent content)
    {
        var concepts = _current.Concepts;
        return Occurrences(content)
            .GroupBy(o => o.Id)
            .Select(g => new WeightedConcept(g.Key,
                Math.Sqrt(g.Sum(o => o.Weight)) * (concepts.TryGetValue(g.Key, out var c) && c.Field == GeneralField ? GeneralWeight : 1)))
            .ToList();
    }

    public const string GeneralField = "general";
    const double GeneralWeight = 0.5;

    IEnumerable<(string Id, double Weight)> Occurrences(ListingContent content)
    {
        var extractor = _current.Extractor;
        IEnumerable<(string, double)> Part(string? zh, string? ru, double weight) =>
            extractor.Extract(zh, ru).Select(m => (m.ConceptId, weight))
                .Concat(CodeTerms.Extract(zh).Concat(CodeTerms.Extract(ru)).Select(code => (code, weight)));
        return Part(content.Title?.Zh, content.Title?.Ru, 2)
            .Concat(Part(Join(content.Keywords?.Zh), Join(content.Keywords?.Ru), 2))
            .Concat(Part(content.Description?.Zh, content.Description?.Ru, 1));
    }

    static string? Join(IReadOnlyList<string>? keywords) => keywords is null ? null : string.Join("\n", keywords);

    /// <summary>The concepts two listings share, with both labels; code terms show as themselves.</summary>
    public IReadOnlyList<SharedConcept> Shared(IEnumerable<string> source, IEnumerable<string> candidate)
    {
        var concepts = _current.Concepts;
        return source.Intersect(candidate)
            .Select(id => concepts.TryGetValue(id, out var c)
                ? new SharedConcept(c.Id, c.ZhLabel, c.RuLabel)
                : new SharedConcept(id, id.StartsWith("x:") ? id[2..].ToUpperInvariant() : null, id.StartsWith("x:") ? id[2..].ToUpperInvariant() : null))
            .ToList();
    }
}
