namespace Marketplace.Contracts;

/// <summary>An ad-hoc match: a listing body that is not stored, and which collection to match it against.</summary>
public sealed record MatchRequest : ListingRequest
{
    /// <summary><c>offers</c> (the body is a need) or <c>needs</c> (the body is an offer).</summary>
    public string? Target { get; init; }
}

public sealed record MatchResponse(IReadOnlyList<MatchItem> Items);

public sealed record MatchItem(int Rank, double Score, ListingSummary Listing, MatchExplanation? Explanation);

public sealed record ListingSummary(
    string Id, string? ExternalRef, string Kind, string OrganizationId, LocalizedText Title,
    string Field, int Trl, IReadOnlyList<string> CooperationForms, string Country);

/// <summary>Why a pair matches: component scores, the words and concepts they share, and what conflicts.</summary>
/// <param name="Text">Normalized BM25 of shared words in a common language, 0-1.</param>
/// <param name="Concepts">Share of the source's concepts the candidate has, 0-1 (crosses languages).</param>
/// <param name="Compatibility">TRL, cooperation forms and field, 0-1.</param>
public sealed record MatchExplanation(
    double Text,
    double Concepts,
    double Compatibility,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MatchedTerms,
    IReadOnlyList<SharedConcept> SharedConcepts,
    IReadOnlyList<string> Conflicts);

/// <summary>A glossary concept both listings mention, with its Chinese and Russian labels; or a shared code such as PLGA.</summary>
public sealed record SharedConcept(string Id, string? Zh, string? Ru);

/// <summary>A glossary term pair: one concept with its Chinese and Russian names.</summary>
public sealed record GlossaryTermRequest
{
    /// <summary>A field code of the taxonomy, or <c>general</c> for general engineering vocabulary.</summary>
    public string? Field { get; init; }
    /// <summary>The Chinese name, e.g. 冷冻干燥.</summary>
    public string? Zh { get; init; }
    /// <summary>The Russian name, e.g. сублимационная сушка.</summary>
    public string? Ru { get; init; }
    public IReadOnlyList<string>? ZhSynonyms { get; init; }
    public IReadOnlyList<string>? RuSynonyms { get; init; }
}

public sealed record GlossaryTermResponse(
    string Id, string Field, string Zh, string Ru, IReadOnlyList<string> ZhSynonyms, IReadOnlyList<string> RuSynonyms,
    string Origin, DateTimeOffset UpdatedAt, long Version, long? ListingsReindexed = null);
