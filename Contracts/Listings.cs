using System.Text.Json.Serialization;

namespace Marketplace.Contracts;

/// <summary>A text in the languages a listing is written in. Chinese and Russian are first-class; English is optional.</summary>
public sealed record LocalizedText
{
    public string? Zh { get; init; }
    public string? Ru { get; init; }
    public string? En { get; init; }
}

/// <summary>Keywords per language.</summary>
public sealed record LocalizedTerms
{
    public IReadOnlyList<string>? Zh { get; init; }
    public IReadOnlyList<string>? Ru { get; init; }
    public IReadOnlyList<string>? En { get; init; }
}

/// <summary>Intellectual property attached to a listing.</summary>
public sealed record IpInfo
{
    /// <summary>One of <c>none</c>, <c>pending</c>, <c>granted</c>, <c>know-how</c>.</summary>
    public string? Status { get; init; }
    public IReadOnlyList<string>? Patents { get; init; }
}

/// <summary>The body of a technology offer or need, as clients send it.</summary>
public record ListingRequest
{
    /// <summary>The client's own id, unique per organization and kind; makes writes idempotent.</summary>
    public string? ExternalRef { get; init; }
    /// <summary>Agency and admin keys may post for another organization.</summary>
    public string? OrganizationId { get; init; }
    public LocalizedText? Title { get; init; }
    public LocalizedText? Description { get; init; }
    public LocalizedTerms? Keywords { get; init; }
    /// <summary>A field code of the taxonomy, e.g. <c>new-materials</c>.</summary>
    public string? Field { get; init; }
    /// <summary>Technology readiness level 1-9: an offer's current level, a need's minimum.</summary>
    public int? Trl { get; init; }
    public IReadOnlyList<string>? CooperationForms { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? Country { get; init; }
    public string? Region { get; init; }
    public IpInfo? Ip { get; init; }
    /// <summary><c>published</c> (default), <c>draft</c> or <c>archived</c>.</summary>
    public string? Status { get; init; }
}

/// <summary>A stored offer or need.</summary>
public sealed record ListingResponse
{
    public required string Id { get; init; }
    /// <summary><c>offer</c> or <c>need</c>.</summary>
    public required string Kind { get; init; }
    public string? ExternalRef { get; init; }
    public required string OrganizationId { get; init; }
    public required LocalizedText Title { get; init; }
    public required LocalizedText Description { get; init; }
    public LocalizedTerms? Keywords { get; init; }
    public required string Field { get; init; }
    public required int Trl { get; init; }
    public required IReadOnlyList<string> CooperationForms { get; init; }
    public required string Country { get; init; }
    public string? Region { get; init; }
    public IpInfo? Ip { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required long Version { get; init; }
    /// <summary><c>indexed</c> when searchable, <c>pending</c> while the search engine catches up.</summary>
    public required string IndexStatus { get; init; }
}

/// <summary>One page of a list; <c>nextCursor</c> is null on the last page.</summary>
public sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor,
    long Total);

/// <summary>A search answer: a page of listings plus counts by field, country, cooperation form and TRL.</summary>
public sealed record SearchPage(
    IReadOnlyList<ListingResponse> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor,
    long Total,
    SearchFacets Facets);

public sealed record SearchFacets(
    IReadOnlyDictionary<string, long> Field,
    IReadOnlyDictionary<string, long> Country,
    IReadOnlyDictionary<string, long> CooperationForm,
    IReadOnlyDictionary<string, long> Trl);

/// <summary>The answer to a bulk upsert: counts by outcome, and each refused line with its problem.</summary>
public sealed record BulkResponse(long Created, long Updated, long Unchanged, long Failed, IReadOnlyList<BulkLineError> Errors, bool ErrorsTruncated);

/// <summary>A refused line of a bulk request: its 1-based number, its externalRef when readable, and why.</summary>
public sealed record BulkLineError(long Line, string? ExternalRef, LineProblem Problem);

/// <summary>An RFC 9457 problem for one line; <c>errors</c> names the offending fields.</summary>
public sealed record LineProblem(string Type, string Title, int Status, string? Detail, IReadOnlyDictionary<string, string[]>? Errors);
