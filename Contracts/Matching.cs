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
/// <param name="Translated">Normalized BM25 of the source's words translated into the candidate's language, 0-1.</param>
/// <param name="TranslatedTerms">Source words whose translation the candidate holds, e.g. 消毒 → обеззараживание.</param>
/// <param name="Figures">Share of the source's figures the candidate states too, 0-1: weak evidence that only lifts a found pair.</param>
/// <param name="SharedFigures">The source's figures the candidate states too, as the source wrote them, e.g. "100 А·ч" (the candidate may write 100Ah).</param>
public sealed record MatchExplanation(
    double Text,
    double Concepts,
    double Compatibility,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MatchedTerms,
    IReadOnlyList<SharedConcept> SharedConcepts,
    IReadOnlyList<string> Conflicts,
    double Translated,
    IReadOnlyList<TranslatedTermPair> TranslatedTerms,
    double Figures,
    IReadOnlyList<string> SharedFigures);

/// <summary>A source word and the translation of it a candidate holds.</summary>
public sealed record TranslatedTermPair(string Source, string Target);

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

/// <summary>
/// An entry of the word lexicon: a Chinese word or short term and its common Russian translations,
/// by which texts are translated word by word when a match is asked.
/// </summary>
public sealed record LexiconEntryRequest
{
    /// <summary>The lexicon area: <c>field-</c> and a field code of the taxonomy (<c>field-biotech</c>), <c>general-machines</c>, <c>abbreviations</c>, ...; the list is in a 400 for an unknown one.</summary>
    public string? Area { get; init; }
    /// <summary>Chinese forms, the headword first, e.g. ["消毒"].</summary>
    public IReadOnlyList<string>? Zh { get; init; }
    /// <summary>Every common Russian translation, the most usual first, e.g. ["дезинфекция", "обеззараживание"].</summary>
    public IReadOnlyList<string>? Ru { get; init; }
    /// <summary>English equivalents or Latin abbreviations, e.g. ["disinfection"]; may be empty.</summary>
    public IReadOnlyList<string>? En { get; init; }
}

public sealed record LexiconEntryResponse(
    string Id, string Area, IReadOnlyList<string> Zh, IReadOnlyList<string> Ru, IReadOnlyList<string> En,
    string Origin, DateTimeOffset UpdatedAt, long Version);
