using System.Text.Json.Serialization;

namespace Marketplace.Contracts;

/// <summary>A text in the languages a listing is written in. Chinese and Russian are first-class; English is optional.</summary>
public sealed record LocalizedText
{
    /// <summary>The Chinese text · 中文. When sent, it must be written mostly in Han characters (Latin codes such as PLC may appear in it); swapped languages are a 400.</summary>
    public string? Zh { get; init; }
    /// <summary>The Russian text · русский. When sent, it must be written mostly in Cyrillic letters (Latin codes such as PLC may appear in it); swapped languages are a 400.</summary>
    public string? Ru { get; init; }
    /// <summary>The English text; optional, in any script.</summary>
    public string? En { get; init; }
}

/// <summary>Keywords · 关键词 · ключевые слова per language: at most 20 per language, each at most 100 characters.</summary>
public sealed record LocalizedTerms
{
    /// <summary>Chinese keywords, e.g. ["冻干"]; a keyword may also be a Latin code (MIM, PLGA), but not mostly Cyrillic.</summary>
    public IReadOnlyList<string>? Zh { get; init; }
    /// <summary>Russian keywords, e.g. ["сублимация"]; a keyword may also be a Latin code (MIM, PLGA), but not mostly Han.</summary>
    public IReadOnlyList<string>? Ru { get; init; }
    /// <summary>English keywords; optional.</summary>
    public IReadOnlyList<string>? En { get; init; }
}

/// <summary>Intellectual property · 知识产权 · интеллектуальная собственность attached to a listing.</summary>
public sealed record IpInfo
{
    /// <summary>One of <c>none</c>, <c>pending</c> (applied for), <c>granted</c>, <c>know-how</c>.</summary>
    public string? Status { get; init; }
    /// <summary>Patent or application numbers as the owner writes them, e.g. "RU 2712345": at most 50, each at most 100 characters.</summary>
    public IReadOnlyList<string>? Patents { get; init; }
}

/// <summary>The body of a technology offer · 技术供给 · технологическое предложение or need · 技术需求 · технологический запрос, as clients send it.</summary>
public record ListingRequest
{
    /// <summary>The client's own id · 外部编号 · внешний идентификатор, e.g. erp-4711, at most 100 characters, unique per organization and kind; makes writes idempotent (the same externalRef again updates the listing). Required on bulk lines; on PUT, omit it to keep the stored one.</summary>
    public string? ExternalRef { get; init; }
    /// <summary>The organization · 机构 · организация the listing belongs to; omit it for the key's own organization. Agency and admin keys may post for another organization, which must exist. A listing never changes organization.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>The title · 标题 · название, at most 300 characters per language, one line. At least one of <c>zh</c> and <c>ru</c> is required.</summary>
    public LocalizedText? Title { get; init; }
    /// <summary>The description · 描述 · описание, at most 10,000 characters per language; required in every language the title has.</summary>
    public LocalizedText? Description { get; init; }
    /// <summary>Optional keywords per language; searched and matched together with the title and description.</summary>
    public LocalizedTerms? Keywords { get; init; }
    /// <summary>Technology field · 技术领域 · область техники: a field code of GET /api/v1/taxonomy, e.g. <c>new-materials</c>.</summary>
    public string? Field { get; init; }
    /// <summary>Technology readiness level · 技术成熟度 · уровень готовности технологии (TRL), 1-9: an offer's current level, a need's minimum acceptable level.</summary>
    public int? Trl { get; init; }
    /// <summary>Cooperation forms · 合作方式 · формы сотрудничества the listing is open to: one or more distinct codes of GET /api/v1/taxonomy, e.g. ["licensing", "joint-rnd"].</summary>
    public IReadOnlyList<string>? CooperationForms { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code, upper case, e.g. CN or RU.</summary>
    public string? Country { get; init; }
    /// <summary>Region · 地区 · регион within the country, free text of at most 200 characters, e.g. Новосибирская область or 山东省; optional.</summary>
    public string? Region { get; init; }
    /// <summary>Optional intellectual property: its status and patent numbers.</summary>
    public IpInfo? Ip { get; init; }
    /// <summary><c>published</c> (default), <c>draft</c> or <c>archived</c>. Only published listings are searched, matched and shown to everyone. Where review is required (Marketplace:Review:Required), <c>published</c> from anyone but a reviewer (the agency that serves the organization, or an admin) submits the listing for review instead: it answers <c>submitted</c> and is published by the reviewer. A PUT replaces the whole listing, so an omitted status becomes <c>published</c> there too.</summary>
    public string? Status { get; init; }
}

/// <summary>A stored offer or need.</summary>
public sealed record ListingResponse
{
    /// <summary>The id the server assigned: <c>of_…</c> for an offer, <c>nd_…</c> for a need.</summary>
    public required string Id { get; init; }
    /// <summary><c>offer</c> or <c>need</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>The client's own id · 外部编号 · внешний идентификатор, as sent (trimmed); absent when none was sent.</summary>
    public string? ExternalRef { get; init; }
    /// <summary>The id of the organization · 机构 · организация that owns the listing.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>The title · 标题 · название in the languages it was written in (blank ones are dropped).</summary>
    public required LocalizedText Title { get; init; }
    /// <summary>The description · 描述 · описание in the languages it was written in (blank ones are dropped).</summary>
    public required LocalizedText Description { get; init; }
    /// <summary>Keywords per language; absent when none were sent.</summary>
    public LocalizedTerms? Keywords { get; init; }
    /// <summary>Technology field · 技术领域 · область техники: a field code of GET /api/v1/taxonomy, e.g. <c>new-materials</c>.</summary>
    public required string Field { get; init; }
    /// <summary>Technology readiness level · 技术成熟度 · уровень готовности технологии (TRL), 1-9: an offer's current level, a need's minimum acceptable level.</summary>
    public required int Trl { get; init; }
    /// <summary>Cooperation forms · 合作方式 · формы сотрудничества: codes of GET /api/v1/taxonomy, e.g. ["licensing", "joint-rnd"].</summary>
    public required IReadOnlyList<string> CooperationForms { get; init; }
    /// <summary>ISO 3166-1 alpha-2 country code, e.g. CN or RU.</summary>
    public required string Country { get; init; }
    /// <summary>Region · 地区 · регион within the country, free text; absent when none was sent.</summary>
    public string? Region { get; init; }
    /// <summary>Intellectual property as sent; absent when none was sent.</summary>
    public IpInfo? Ip { get; init; }
    /// <summary><c>published</c>, <c>draft</c>, <c>submitted</c> (waiting for review, when Marketplace:Review:Required is on), <c>rejected</c> (by a reviewer, with a reason; change it to submit it again), <c>archived</c> (DELETE archives) or <c>expired</c> (published past its lifetime; renew it). Only published listings are searched and matched; the others are visible only to their organization, the agencies that serve it and admins.</summary>
    public required string Status { get; init; }
    /// <summary>The last review · 审核 · проверка of the listing: the decision, who made it, when, and a rejection's reason; absent when it was never reviewed.</summary>
    public ListingReview? Review { get; init; }
    /// <summary>When the listing was first published, UTC, ISO 8601; absent until then.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>When the listing was first stored, UTC, ISO 8601.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the listing was last written, UTC, ISO 8601; a POST or bulk line with the same content leaves it as it is.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The listing's version: 1 when created, increased by one by every PUT, by archiving, and by a POST or bulk line that changes the content. The ETag is its quoted value, e.g. "3"; send it in If-Match to change the listing safely.</summary>
    public required long Version { get; init; }
    /// <summary>When the published listing expires unless its owner renews it (POST …/{id}/renew), UTC, ISO 8601; absent when it is not published.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary><c>indexed</c> when searchable, <c>pending</c> while the search engine catches up.</summary>
    public required string IndexStatus { get; init; }
}

/// <summary>A reviewer's decision on a submitted listing · 审核结论 · решение по проверке.</summary>
public sealed record ReviewRequest
{
    /// <summary><c>publish</c> (the listing is published) or <c>reject</c> (it goes back to its organization with the reason).</summary>
    public string? Decision { get; init; }
    /// <summary>Why · 理由 · причина, in zh, ru and/or en, each at most 2,000 characters: required to reject, optional to publish. The owner reads it in the listing's <c>review</c>.</summary>
    public LocalizedText? Reason { get; init; }
}

/// <summary>A listing's last review.</summary>
/// <param name="Decision"><c>published</c> or <c>rejected</c>.</param>
/// <param name="Reason">The reviewer's reason, in the languages the reviewer wrote; absent when none was given.</param>
/// <param name="ReviewedBy">The organization of the reviewer: the agency that serves the listing's organization, or the platform's.</param>
/// <param name="ReviewedAt">When the decision was made, UTC, ISO 8601.</param>
public sealed record ListingReview(string Decision, LocalizedText? Reason, string ReviewedBy, DateTimeOffset ReviewedAt);

/// <summary>One page of a list; <c>nextCursor</c> is null on the last page.</summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <param name="Items">The items of this page, at most <c>limit</c> (default 20, max 100).</param>
/// <param name="NextCursor">An opaque token: send it as <c>cursor</c> to get the next page. Null on the last page, and after the 100,000th item (the deepest paging goes).</param>
/// <param name="Total">The number of items across all pages.</param>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor,
    long Total);

/// <summary>A search answer: a page of listings plus counts by field, country, cooperation form and TRL.</summary>
/// <param name="Items">The published listings of this page, most relevant first (newest first without <c>q</c>); at most <c>limit</c> (default 20, max 100).</param>
/// <param name="NextCursor">An opaque token: send it as <c>cursor</c> to get the next page. Null on the last page, and after the 100,000th item (the deepest paging goes).</param>
/// <param name="Total">The number of listings that match the query and filters, across all pages.</param>
/// <param name="Facets">Facets · 分面统计 · фасеты: counts of the matching listings by field, country, cooperation form and TRL.</param>
public sealed record SearchPage(
    IReadOnlyList<ListingResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor,
    long Total,
    SearchFacets Facets);

/// <summary>Counts of the listings a search matches (all pages, not only the one shown), by value; a value no listing has is absent.</summary>
/// <param name="Field">Listings per field code, e.g. { "new-materials": 12 }.</param>
/// <param name="Country">Listings per ISO 3166-1 alpha-2 country code, e.g. { "RU": 30, "CN": 25 }.</param>
/// <param name="CooperationForm">Listings per cooperation form code, e.g. { "licensing": 9 }; a listing counts once for each of its forms.</param>
/// <param name="Trl">Listings per TRL, keyed by the level as a string "1" to "9", e.g. { "7": 4 }.</param>
public sealed record SearchFacets(
    IReadOnlyDictionary<string, long> Field,
    IReadOnlyDictionary<string, long> Country,
    IReadOnlyDictionary<string, long> CooperationForm,
    IReadOnlyDictionary<string, long> Trl);

/// <summary>The answer to a bulk upsert: counts by outcome, and each refused line with its problem.</summary>
/// <param name="Created">Lines stored as new listings.</param>
/// <param name="Updated">Lines whose externalRef was known and whose content changed.</param>
/// <param name="Unchanged">Lines whose externalRef was known with the same content; nothing was written.</param>
/// <param name="Failed">Lines refused; every one is counted, also beyond those listed in <c>errors</c>.</param>
/// <param name="Errors">The first 1,000 refused lines, in order, each with its problem.</param>
/// <param name="ErrorsTruncated">True when more lines failed than <c>errors</c> lists.</param>
public sealed record BulkResponse(long Created, long Updated, long Unchanged, long Failed, IReadOnlyList<BulkLineError> Errors, bool ErrorsTruncated);

/// <summary>A refused line of a bulk request: its 1-based number, its externalRef when readable, and why.</summary>
/// <param name="Line">The line's number in the request body, counted from 1 (blank lines count).</param>
/// <param name="ExternalRef">The line's externalRef; absent when the line has none or could not be read (not JSON, over 256 KB).</param>
/// <param name="Problem">Why the line was refused.</param>
public sealed record BulkLineError(long Line, string? ExternalRef, LineProblem Problem);

/// <summary>An RFC 9457 problem for one line; <c>errors</c> names the offending fields.</summary>
/// <param name="Type">A URI naming the kind of problem (the RFC 9110 section of its status).</param>
/// <param name="Title">A short summary in the language of Accept-Language (zh, ru, en).</param>
/// <param name="Status">The HTTP status the line would have had alone: 400 (invalid), 403 (another organization) or 413 (line over 256 KB).</param>
/// <param name="Detail">What is wrong, in the language of Accept-Language.</param>
/// <param name="Errors">For a 400, messages per offending member, e.g. { "title.zh": ["..."] }; absent for a 403 or 413.</param>
public sealed record LineProblem(string Type, string Title, int Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);
