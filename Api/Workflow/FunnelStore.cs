using Dapper;
using Marketplace.Api.Storage;

namespace Marketplace.Api.Workflow;

/// <summary>A listing first published in the period.</summary>
public sealed class FunnelListing
{
    public string Id { get; set; } = "";
    public string Field { get; set; } = "";
    public string Country { get; set; } = "";
    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>One step of a case: when it happened and, for the medians, when the step before it did.</summary>
public sealed class FunnelStep
{
    public string ListingId { get; set; } = "";
    public string Field { get; set; } = "";
    public string ListingCountry { get; set; } = "";
    public string? OtherCountry { get; set; }
    public DateTimeOffset At { get; set; }
    public DateTimeOffset? Since { get; set; }
}

/// <summary>The funnel report's reads: SQL only.</summary>
public sealed class FunnelStore(Db db)
{
    /// <summary>
    /// The period's listings first published, interests, introductions and agreements, narrowed to a
    /// field and country of the listing concerned, and to cases one side of which is in
    /// <paramref name="scope"/> (all when null).
    /// </summary>
    public async Task<(List<FunnelListing> Listings, List<FunnelStep> Interests, List<FunnelStep> Introductions, List<FunnelStep> Agreements)> ReadAsync(
        DateTimeOffset start, DateTimeOffset end, string? field, string? country, string[]? scope, CancellationToken ct)
    {
        var p = new { start, end, field, country, scope };
        string Narrow(string listing) => (field is null ? "" : $" AND {listing}.field = @field") + (country is null ? "" : $" AND {listing}.country = @country");
        string Either(string owner, string other) => scope is null ? "" : $" AND ({db.InList(owner, "scope")} OR {db.InList(other, "scope")})";

        await using var connection = await db.OpenAsync(ct);
        var listings = (await connection.QueryAsync<FunnelListing>(new CommandDefinition(
            $"""
            SELECT l.id, l.field, l.country, l.published_at FROM listings l
            WHERE l.published_at >= @start AND l.published_at < @end{Narrow("l")}{(scope is null ? "" : $" AND {db.InList("l.organization_id", "scope")}")}
            """, p, cancellationToken: ct))).ToList();
        // Interests of the period; Since is the listing's first publication when this is its first interest.
        var interests = (await connection.QueryAsync<FunnelStep>(new CommandDefinition(
            $"""
            SELECT i.listing_id, l.field, l.country AS listing_country, o.country AS other_country, i.created_at AS at,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM interests e WHERE e.listing_id = i.listing_id AND e.created_at < i.created_at)
                        THEN l.published_at END AS since
            FROM interests i JOIN listings l ON l.id = i.listing_id LEFT JOIN organizations o ON o.id = i.organization_id
            WHERE i.created_at >= @start AND i.created_at < @end{Narrow("l")}{Either("i.owner_organization_id", "i.organization_id")}
            """, p, cancellationToken: ct))).ToList();
        var introductions = (await connection.QueryAsync<FunnelStep>(new CommandDefinition(
            $"""
            SELECT t.listing_id, l.field, l.country AS listing_country, o.country AS other_country, t.created_at AS at, i.created_at AS since
            FROM introductions t JOIN listings l ON l.id = t.listing_id LEFT JOIN organizations o ON o.id = t.organization_id
                 LEFT JOIN interests i ON i.id = t.interest_id
            WHERE t.created_at >= @start AND t.created_at < @end{Narrow("l")}{Either("t.owner_organization_id", "t.organization_id")}
            """, p, cancellationToken: ct))).ToList();
        var agreements = (await connection.QueryAsync<FunnelStep>(new CommandDefinition(
            $"""
            SELECT t.listing_id, l.field, l.country AS listing_country, o.country AS other_country, e.at, t.created_at AS since
            FROM introduction_events e JOIN introductions t ON t.id = e.introduction_id JOIN listings l ON l.id = t.listing_id
                 LEFT JOIN organizations o ON o.id = t.organization_id
            WHERE e.status = 'agreement' AND e.at >= @start AND e.at < @end{Narrow("l")}{Either("t.owner_organization_id", "t.organization_id")}
            """, p, cancellationToken: ct))).ToList();
        return (listings, interests, introductions, agreements);
    }
}
