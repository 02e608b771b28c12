namespace Marketplace.Contracts;

/// <summary>An ad-hoc match: a listing body that is not stored, and which collection to match it against.</summary>
public sealed record MatchRequest : ListingRequest
{
    /// <summary><c>offers</c> (the body is a need) or <c>needs</c> (the body is an offer).</summary>
    public string? Target { get; init; }
}

/// <summary>The answer to a match · 匹配 · подбор: the best candidates for a listing, best first.</summary>
/// <param name="Items">The matches, highest score first (ties by id), at most <c>limit</c> (default 10, max 100); fewer, or none, when fewer candidates are found.</param>
public sealed record MatchResponse(IReadOnlyList<MatchItem> Items);

/// <summary>One match · 匹配 · подбор: a candidate listing, its place and score, and optionally why it matches.</summary>
/// <param name="Rank">The place in the list, 1-based.</param>
/// <param name="Score">How well the candidate fits, 0-1 (rounded to 4 decimals); orders the list. It combines shared words (also through translation), shared concepts, shared figures and compatibility; it is not a probability.</param>
/// <param name="Listing">The candidate: a published offer when the source is a need, a published need when it is an offer.</param>
/// <param name="Explanation">Why the pair matches · 匹配说明 · объяснение подбора; present only with <c>explain=true</c>.</param>
public sealed record MatchItem(int Rank, double Score, ListingSummary Listing, MatchExplanation? Explanation);

/// <summary>The main facts of a matched listing; GET /api/v1/offers/{id} or /needs/{id} reads the whole of it.</summary>
/// <param name="Id">The listing's id: <c>of_…</c> for an offer, <c>nd_…</c> for a need.</param>
/// <param name="ExternalRef">The owner's own id · 外部编号 · внешний идентификатор; absent when none was sent.</param>
/// <param name="Kind"><c>offer</c> or <c>need</c>.</param>
/// <param name="OrganizationId">The id of the organization · 机构 · организация that owns the listing.</param>
/// <param name="Title">The title · 标题 · название in the languages it is written in.</param>
/// <param name="Field">Technology field · 技术领域 · область техники: a field code of GET /api/v1/taxonomy, e.g. <c>new-materials</c>.</param>
/// <param name="Trl">Technology readiness level · 技术成熟度 · уровень готовности технологии (TRL), 1-9: an offer's current level, a need's minimum acceptable level.</param>
/// <param name="CooperationForms">Cooperation forms · 合作方式 · формы сотрудничества: codes of GET /api/v1/taxonomy, e.g. ["licensing"].</param>
/// <param name="Country">ISO 3166-1 alpha-2 country code, e.g. CN or RU.</param>
public sealed record ListingSummary(
    string Id, string? ExternalRef, string Kind, string OrganizationId, LocalizedText Title,
    string Field, int Trl, IReadOnlyList<string> CooperationForms, string Country);

/// <summary>Why a pair matches: component scores, the words and concepts they share, and what conflicts.</summary>
/// <param name="Text">Normalized BM25 of shared words in a common language, 0-1.</param>
/// <param name="Concepts">Share of the source's concepts the candidate has, 0-1, weighted by how specific each concept is (crosses languages).</param>
/// <param name="Compatibility">TRL, cooperation forms and field, 0-1: the product of the three factors, 1 when nothing conflicts.</param>
/// <param name="MatchedTerms">The source's salient words the candidate's text has too, per language code (<c>zh</c>, <c>ru</c>, <c>en</c>), as the search engine analyses them (Russian as stems), e.g. { "zh": ["冻干"], "ru": ["сублимац"] }.</param>
/// <param name="SharedConcepts">Glossary concepts · 术语表概念 · понятия глоссария both listings mention, and codes both state (e.g. PLGA).</param>
/// <param name="Conflicts">What does not fit between the need and the offer: <c>trl-below-minimum</c> (the offer's TRL is below the need's minimum), <c>no-common-cooperation-form</c>, <c>different-field</c> or <c>related-field</c> (another field, but one whose technologies often serve it). Each lowers the score; none hides the pair.</param>
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
/// <param name="Source">The source's word in the form the lexicon or glossary writes it, e.g. 消毒.</param>
/// <param name="Target">Its translation in the candidate's language that the candidate's text contains, e.g. обеззараживание.</param>
public sealed record TranslatedTermPair(string Source, string Target);

/// <summary>A glossary concept both listings mention, with its Chinese and Russian labels; or a shared code such as PLGA.</summary>
/// <param name="Id">The concept's id in GET /api/v1/glossary (e.g. <c>nm-0001</c>), or <c>x:</c> and the code in lower case for a shared code (e.g. <c>x:plga</c>).</param>
/// <param name="Zh">The concept's Chinese label, e.g. 冷冻干燥; for a code, the code in upper case; absent when unknown.</param>
/// <param name="Ru">The concept's Russian label, e.g. сублимационная сушка; for a code, the code in upper case; absent when unknown.</param>
public sealed record SharedConcept(string Id, string? Zh, string? Ru);

/// <summary>A glossary term pair · 术语对 · пара терминов: one concept with its Chinese and Russian names.</summary>
public sealed record GlossaryTermRequest
{
    /// <summary>A field code of the taxonomy, or <c>general</c> for general engineering vocabulary.</summary>
    public string? Field { get; init; }
    /// <summary>The Chinese name, e.g. 冷冻干燥: mostly Han characters, at most 100 characters, without ";". A Chinese name belongs to one concept only (another concept's name is a 409).</summary>
    public string? Zh { get; init; }
    /// <summary>The Russian name, e.g. сублимационная сушка: mostly Cyrillic, at most 100 characters, without ";".</summary>
    public string? Ru { get; init; }
    /// <summary>Other Chinese names of the concept, e.g. ["冻干"]; may be Latin abbreviations (PLC, CVD). Each at most 100 characters, without ";".</summary>
    public IReadOnlyList<string>? ZhSynonyms { get; init; }
    /// <summary>Other Russian names of the concept, e.g. ["лиофилизация"]; may be Latin abbreviations (PLC, CVD). Each at most 100 characters, without ";".</summary>
    public IReadOnlyList<string>? RuSynonyms { get; init; }
}

/// <summary>A glossary term pair · 术语对 · пара терминов as stored: one glossary concept · 术语表概念 · понятие глоссария with its names in both languages.</summary>
/// <param name="Id">The concept's id: <c>nm-0001</c> style (field prefix and number) for a shipped one, <c>g-…</c> for one added through the API.</param>
/// <param name="Field">A field code of GET /api/v1/taxonomy, or <c>general</c> for general engineering vocabulary.</param>
/// <param name="Zh">The Chinese name (the concept's label), e.g. 冷冻干燥.</param>
/// <param name="Ru">The Russian name (the concept's label), e.g. сублимационная сушка.</param>
/// <param name="ZhSynonyms">Other Chinese names of the concept; may be empty.</param>
/// <param name="RuSynonyms">Other Russian names of the concept; may be empty.</param>
/// <param name="Origin"><c>shipped</c> (came with the product) or <c>curated</c> (added or changed through the API).</param>
/// <param name="UpdatedAt">When the term pair last changed, UTC, ISO 8601.</param>
/// <param name="Version">1 when created, increased by one on every change; the ETag is its quoted value, e.g. "3", for If-Match.</param>
/// <param name="ListingsReindexed">Only in the answer to POST and PUT: how many listings that carried or now mention the concept were queued for re-indexing; absent when the search engine was away (they are queued later).</param>
public sealed record GlossaryTermResponse(
    string Id, string Field, string Zh, string Ru, IReadOnlyList<string> ZhSynonyms, IReadOnlyList<string> RuSynonyms,
    string Origin, DateTimeOffset UpdatedAt, long Version, long? ListingsReindexed = null);

/// <summary>
/// A lexicon entry · 词条 · словарная статья of the word lexicon: a Chinese word or short term and its common Russian translations,
/// by which texts are translated word by word when a match is asked. Each form is at most 100 characters and holds no ";".
/// </summary>
public sealed record LexiconEntryRequest
{
    /// <summary>The lexicon area: <c>field-</c> and a field code of the taxonomy (<c>field-biotech</c>), <c>general-machines</c>, <c>abbreviations</c>, ...; the list is in a 400 for an unknown one.</summary>
    public string? Area { get; init; }
    /// <summary>Chinese forms, the headword first, e.g. ["消毒"]: at least one, at most 20, each mostly Han characters. A Chinese form has one entry per area (another entry's form is a 409).</summary>
    public IReadOnlyList<string>? Zh { get; init; }
    /// <summary>Every common Russian translation, the most usual first, e.g. ["дезинфекция", "обеззараживание"]: at least one, at most 20, each mostly Cyrillic.</summary>
    public IReadOnlyList<string>? Ru { get; init; }
    /// <summary>English equivalents or Latin abbreviations, e.g. ["disinfection"]; may be empty, at most 20, without Han or Cyrillic characters.</summary>
    public IReadOnlyList<string>? En { get; init; }
}

/// <summary>A lexicon entry · 词条 · словарная статья as stored: a Chinese word or short term and its translations.</summary>
/// <param name="Id">The entry's id: <c>&lt;area&gt;:&lt;Chinese headword&gt;</c> for a shipped entry (e.g. <c>field-biotech:消毒</c>), <c>lx-…</c> for one added through the API.</param>
/// <param name="Area">The lexicon area, e.g. <c>field-biotech</c>, <c>general-machines</c> or <c>abbreviations</c>.</param>
/// <param name="Zh">Chinese forms, the headword first.</param>
/// <param name="Ru">Russian translations, the most usual first.</param>
/// <param name="En">English equivalents or Latin abbreviations; may be empty.</param>
/// <param name="Origin"><c>shipped</c> (came with the product) or <c>curated</c> (added or changed through the API).</param>
/// <param name="UpdatedAt">When the entry last changed, UTC, ISO 8601.</param>
/// <param name="Version">1 when created, increased by one on every change; the ETag is its quoted value, e.g. "3", for If-Match.</param>
public sealed record LexiconEntryResponse(
    string Id, string Area, IReadOnlyList<string> Zh, IReadOnlyList<string> Ru, IReadOnlyList<string> En,
    string Origin, DateTimeOffset UpdatedAt, long Version);
