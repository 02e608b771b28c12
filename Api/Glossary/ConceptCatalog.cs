using Lucene.Net.Analysis;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Glossary;

/// <summary>
/// The glossary in memory: its concepts by id and the extractor that finds them in listing texts.
/// Swapped as a whole when a curator changes a term, so readers never see half a change.
/// </summary>
public sealed class ConceptCatalog : IDisposable
{
    readonly Analyzer _russian = ListingAnalyzers.Russian();
    volatile Snapshot _current;

    sealed record Snapshot(IReadOnlyDictionary<string, Concept> Concepts, ConceptExtractor Extractor);

    public ConceptCatalog() => _current = Build([]);

    public int Count => _current.Concepts.Count;

    public void Load(IEnumerable<Concept> concepts) => _current = Build(concepts);

    Snapshot Build(IEnumerable<Concept> concepts)
    {
        var list = concepts.ToList();
        return new Snapshot(list.ToDictionary(c => c.Id), new ConceptExtractor(list, RussianStems));
    }

    public IReadOnlyList<string> RussianStems(string text) => ListingAnalyzers.Tokens(_russian, "ru", text);

    /// <summary>Concept ids and code terms of a listing's Chinese and Russian texts, duplicates kept (they count in explanations).</summary>
    public IReadOnlyList<string> ConceptsOf(ListingContent content)
    {
        var zh = Join(content.Title.Zh, content.Keywords?.Zh, content.Description.Zh);
        var ru = Join(content.Title.Ru, content.Keywords?.Ru, content.Description.Ru);
        var found = _current.Extractor.Extract(zh, ru).Select(m => m.ConceptId).ToList();
        found.AddRange(CodeTerms.Extract(zh));
        found.AddRange(CodeTerms.Extract(ru));
        return found;
    }

    static string? Join(string? title, IReadOnlyList<string>? keywords, string? description) =>
        title is null && description is null && keywords is null
            ? null
            : string.Join("\n", new[] { title }.Concat(keywords ?? []).Append(description).Where(s => s is not null));

    public ListingDocument ToDocument(ListingRow row) => row.ToDocument(ConceptsOf(row.Content).Distinct().ToList());

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

    public void Dispose() => _russian.Dispose();
}
