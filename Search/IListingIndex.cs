namespace Marketplace.Search;

/// <summary>
/// The format of what an index holds: its fields, analysis chains, and the concept ids the API
/// puts into documents. Raise <see cref="Version"/> with any change that leaves an existing index
/// stale; both engines then report <see cref="IListingIndex.NeedsRebuild"/> at start, and the API
/// rebuilds the index from the database before it serves.
/// </summary>
public static class IndexFormat
{
    // 2: Cyrillic model codes and grades join the concept field as their Latin spellings (CodeTerms).
    public const int Version = 2;
    /// <summary>Where the Lucene commit and the Elasticsearch mapping's <c>_meta</c> record it.</summary>
    public const string Key = "marketplace_format";
}

/// <summary>
/// The search-index port. The database is the source of truth; an engine holds a rebuildable copy
/// of every listing and answers full-text queries with filters and facets.
/// </summary>
/// <remarks>
/// Failures come in two kinds, and callers treat them apart: an engine that cannot take writes or
/// answer at all throws <see cref="SearchEngineUnavailableException"/> (retry later, everything
/// waits); a document the engine refuses is reported in <see cref="IndexWrite.Refused"/> while the
/// others are written (that listing alone waits, and is parked if it keeps being refused).
/// </remarks>
public interface IListingIndex : IDisposable
{
    /// <summary>True when the engine holds no usable index (none, damaged, or of another <see cref="IndexFormat"/>) and wants a rebuild from the database.</summary>
    Task<bool> NeedsRebuildAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds or replaces documents by id; they are searchable when the task completes. A document
    /// older (lower <see cref="ListingDocument.Version"/>) than the one the engine holds is ignored,
    /// so writes that arrive out of order never bring back a stale listing.
    /// </summary>
    Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken cancellationToken = default);

    Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Candidates for a match: listings whose text shares the source's salient terms (per language)
    /// or whose concepts are the source's, each with both scores normalized by what the query could
    /// score at most, so that engines with different BM25 constants give comparable numbers.
    /// </summary>
    Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ids of every listing that carries <paramref name="conceptId"/> or contains one of the
    /// phrases (per language): the listings a glossary change touches.
    /// </summary>
    Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the whole index with <paramref name="documents"/>; searches keep working meanwhile
    /// and see the old index until the new one is complete. A rebuild that fails or is cancelled
    /// leaves the old index in place and the engine working.
    /// </summary>
    Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>Number of documents in the index, for readiness and consistency checks.</summary>
    Task<long> CountAsync(CancellationToken cancellationToken = default);
}

/// <summary>What a write did: how many documents the engine took, and which it refused and why.</summary>
public sealed record IndexWrite(long Indexed, IReadOnlyList<RefusedDocument> Refused)
{
    public static readonly IndexWrite Nothing = new(0, []);
}

/// <summary>A document the engine would not take (its data, not the engine, is at fault).</summary>
public sealed record RefusedDocument(string Id, string Reason);

/// <summary>The engine does not answer or cannot take writes at all; the message is one sentence naming the fix where there is one.</summary>
public sealed class SearchEngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The languages a listing can be written in; each has its own analyzed fields.</summary>
public static class Languages
{
    public const string Zh = "zh";
    public const string Ru = "ru";
    public const string En = "en";
    public static readonly IReadOnlyList<string> All = [Zh, Ru, En];
}

/// <summary>The text of a listing in one language.</summary>
public sealed record LanguageText(string Title, string Description, IReadOnlyList<string> Keywords);

/// <summary>What the index holds of a listing: the texts per language and the fields to filter and facet on.</summary>
public sealed record ListingDocument(
    string Id,
    string Kind,
    string OrganizationId,
    string Status,
    string Field,
    int Trl,
    string Country,
    IReadOnlyList<string> CooperationForms,
    IReadOnlyDictionary<string, LanguageText> Texts,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<string>? Concepts = null,
    long Version = 0);

/// <summary>Structured filters; every one that is set must hold.</summary>
public sealed record ListingFilter
{
    public string? Kind { get; init; }
    public string? Status { get; init; } = "published";
    public string? Field { get; init; }
    public string? Country { get; init; }
    public int? TrlMin { get; init; }
    public int? TrlMax { get; init; }
    /// <summary>Any of these cooperation forms.</summary>
    public IReadOnlyList<string>? CooperationForms { get; init; }
    /// <summary>Only listings written in this language.</summary>
    public string? Language { get; init; }
    /// <summary>Only listings of these organizations (any number: a terms filter, not one clause each).</summary>
    public IReadOnlyList<string>? Organizations { get; init; }
}

/// <summary>A full-text query (or none: newest first) with filters and a window of results.</summary>
public sealed record SearchQuery(string? Text, ListingFilter Filter, int Offset, int Limit, bool WithFacets = true);

public sealed record SearchHit(string Id, float Score);

public sealed record FacetCounts(
    IReadOnlyDictionary<string, long> Field,
    IReadOnlyDictionary<string, long> Country,
    IReadOnlyDictionary<string, long> CooperationForm,
    IReadOnlyDictionary<string, long> Trl);

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, long Total, FacetCounts? Facets);

/// <summary>
/// What a match looks for: the source listing's texts and language-neutral concepts, the filter
/// the candidates must pass, and how many candidates to return.
/// </summary>
/// <param name="Translations">
/// The source's words translated into languages it is not written in, per target language: each
/// group (one source word's translations) is scored as one term, the best of its alternatives.
/// </param>
public sealed record MatchQuery(
    IReadOnlyDictionary<string, LanguageText> Texts,
    IReadOnlyList<WeightedConcept> Concepts,
    ListingFilter Filter,
    int Candidates,
    IReadOnlyDictionary<string, IReadOnlyList<TermGroup>>? Translations = null);

/// <summary>A source word and its translations (texts in the target language, analysed by the engine), seen <paramref name="Tf"/> times.</summary>
/// <param name="Weight">The group's boost: below 1 for a word that says less than its idf (a lone head morpheme such as 机 or 器).</param>
public sealed record TermGroup(string Source, IReadOnlyList<string> Alternatives, double Tf, double Weight = 1);

/// <summary>A concept of the source with its weight (how prominent and how specific it is there).</summary>
public sealed record WeightedConcept(string Id, double Weight);

/// <param name="Text">BM25 over the per-language text, divided by the query's maximum attainable score.</param>
/// <param name="Concepts">BM25 over the concept field, divided likewise: the idf-weighted share of the source's concepts found.</param>
/// <param name="Translated">BM25 of the translated word groups in the candidate's language, divided likewise (best target language).</param>
public sealed record MatchHit(string Id, double Text, double Concepts, double Translated = 0);

/// <param name="QueryTerms">The salient terms chosen per language, for explanations.</param>
/// <param name="QueryGroups">The translated groups chosen per target language (alternatives the index holds), for explanations.</param>
public sealed record MatchCandidates(IReadOnlyList<MatchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<string>> QueryTerms,
    IReadOnlyDictionary<string, IReadOnlyList<TermGroup>>? QueryGroups = null);
