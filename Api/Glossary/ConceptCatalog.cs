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
    volatile Snapshot _current = new(new Dictionary<string, Concept>(), new ConceptExtractor([], analysis.RussianStems), -1);

    sealed record Snapshot(IReadOnlyDictionary<string, Concept> Concepts, ConceptExtractor Extractor, long Revision);

    /// <summary>The glossary revision loaded; -1 before the first load.</summary>
    public long Revision => _current.Revision;

    public void Load(IEnumerable<Concept> concepts, long revision)
    {
        var list = concepts.ToList();
        _current = new Snapshot(list.ToDictionary(c => c.Id), new ConceptExtractor(list, analysis.RussianStems), revision);
    }

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
