using System.ComponentModel;
using System.Globalization;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Workflow;

/// <summary>
/// <c>GET /api/v1/reports/funnel</c>: listings published, interests, introductions and agreements of
/// a period, by field and by direction, with the median days between the steps. An agency sees its
/// own organization's and its clients' cases, an admin all.
/// </summary>
public static class FunnelReportApi
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/reports/funnel", Funnel).WithTags("Reports").RequireAuthorization(Policies.Agency)
            .WithName("FunnelReport").WithSummary("From listings published to agreements signed · 转化漏斗 · Воронка сделок")
            .WithDescription("Counts of the period (`from` inclusive, `to` exclusive; the last 30 days by default) — listings first published, interests, introductions, agreements — in total, by field and by direction (CN→RU, RU→CN, same-country), and the median days publish → first interest, interest → introduction, introduction → agreement. `field` and `country` narrow to the listings concerned. An agency sees its own and its clients' cases, an admin all.")
            .ProducesValidationProblem();
        return routes;
    }

    sealed class Listing
    {
        public string Id { get; set; } = "";
        public string Field { get; set; } = "";
        public string Country { get; set; } = "";
        public DateTimeOffset PublishedAt { get; set; }
    }

    /// <summary>One step of a case: when it happened and, for the medians, when the step before it did.</summary>
    sealed class Step
    {
        public string ListingId { get; set; } = "";
        public string Field { get; set; } = "";
        public string ListingCountry { get; set; } = "";
        public string? OtherCountry { get; set; }
        public DateTimeOffset At { get; set; }
        public DateTimeOffset? Since { get; set; }
    }

    public static async Task<Results<Ok<FunnelReport>, ValidationProblem>> Funnel(HttpContext http, Db db,
        [Description("Start of the period, ISO 8601, inclusive; 30 days before `to` by default")] DateTimeOffset? from,
        [Description("End of the period, ISO 8601, exclusive; now by default")] DateTimeOffset? to,
        [Description("Field code of the listings concerned, e.g. new-materials")] string? field,
        [Description("ISO 3166-1 alpha-2 country of the listings concerned, e.g. CN or RU")] string? country,
        CancellationToken ct)
    {
        var end = to ?? DateTimeOffset.UtcNow;
        var start = from ?? end.AddDays(-30);
        if (start >= end) return Problems.Validation("from", Messages.Get(Messages.PeriodOrder));
        if (field is not null && !Taxonomy.FieldCodes.Contains(field)) return Problems.Validation("field", Messages.Get(Messages.UnknownCode, field));
        if (country is not null && !Countries.Codes.Contains(country)) return Problems.Validation("country", Messages.Get(Messages.CountryCode));
        var caller = Caller.From(http.User);
        var scope = caller.IsAdmin ? null : caller.ActsFor.ToArray();
        var p = new { start, end, field, country, scope };
        string Narrow(string listing) => (field is null ? "" : $" AND {listing}.field = @field") + (country is null ? "" : $" AND {listing}.country = @country");
        string Either(string owner, string other) => scope is null ? "" : $" AND ({db.InList(owner, "scope")} OR {db.InList(other, "scope")})";

        await using var connection = await db.OpenAsync(ct);
        var listings = (await connection.QueryAsync<Listing>(new CommandDefinition(
            $"""
            SELECT l.id, l.field, l.country, l.published_at FROM listings l
            WHERE l.published_at >= @start AND l.published_at < @end{Narrow("l")}{(scope is null ? "" : $" AND {db.InList("l.organization_id", "scope")}")}
            """, p, cancellationToken: ct))).ToList();
        // Interests of the period; Since is the listing's first publication when this is its first interest.
        var interests = (await connection.QueryAsync<Step>(new CommandDefinition(
            $"""
            SELECT i.listing_id, l.field, l.country AS listing_country, o.country AS other_country, i.created_at AS at,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM interests e WHERE e.listing_id = i.listing_id AND e.created_at < i.created_at)
                        THEN l.published_at END AS since
            FROM interests i JOIN listings l ON l.id = i.listing_id LEFT JOIN organizations o ON o.id = i.organization_id
            WHERE i.created_at >= @start AND i.created_at < @end{Narrow("l")}{Either("i.owner_organization_id", "i.organization_id")}
            """, p, cancellationToken: ct))).ToList();
        var introductions = (await connection.QueryAsync<Step>(new CommandDefinition(
            $"""
            SELECT t.listing_id, l.field, l.country AS listing_country, o.country AS other_country, t.created_at AS at, i.created_at AS since
            FROM introductions t JOIN listings l ON l.id = t.listing_id LEFT JOIN organizations o ON o.id = t.organization_id
                 LEFT JOIN interests i ON i.id = t.interest_id
            WHERE t.created_at >= @start AND t.created_at < @end{Narrow("l")}{Either("t.owner_organization_id", "t.organization_id")}
            """, p, cancellationToken: ct))).ToList();
        var agreements = (await connection.QueryAsync<Step>(new CommandDefinition(
            $"""
            SELECT t.listing_id, l.field, l.country AS listing_country, o.country AS other_country, e.at, t.created_at AS since
            FROM introduction_events e JOIN introductions t ON t.id = e.introduction_id JOIN listings l ON l.id = t.listing_id
                 LEFT JOIN organizations o ON o.id = t.organization_id
            WHERE e.status = 'agreement' AND e.at >= @start AND e.at < @end{Narrow("l")}{Either("t.owner_organization_id", "t.organization_id")}
            """, p, cancellationToken: ct))).ToList();

        FunnelCounts Counts(Func<string, bool> listing, Func<Step, bool> step) => new(
            listings.Count(l => listing(l.Field)), interests.Count(step), introductions.Count(step), agreements.Count(step));
        var fields = listings.Select(l => l.Field).Concat(interests.Concat(introductions).Concat(agreements).Select(s => s.Field)).Distinct().Order();
        var directions = interests.Concat(introductions).Concat(agreements).Select(Direction).Distinct().Order();
        return TypedResults.Ok(new FunnelReport(start, end,
            Counts(_ => true, _ => true),
            fields.ToDictionary(f => f, f => Counts(l => l == f, s => s.Field == f)),
            directions.ToDictionary(d => d, d => Counts(_ => false, s => Direction(s) == d)),
            new FunnelMedians(Median(interests), Median(introductions), Median(agreements))));
    }

    /// <summary>Which way a case goes: from the interested organization's country to the listing's.</summary>
    static string Direction(Step step) => (step.OtherCountry, step.ListingCountry) switch
    {
        ("CN", "RU") => "CN→RU",
        ("RU", "CN") => "RU→CN",
        ({ } a, var b) when a == b => "same-country",
        _ => "other",
    };

    static double? Median(IEnumerable<Step> steps)
    {
        var days = steps.Where(s => s.Since is not null).Select(s => (s.At - s.Since!.Value).TotalDays).Order().ToList();
        if (days.Count == 0) return null;
        var middle = days.Count / 2;
        var median = days.Count % 2 == 1 ? days[middle] : (days[middle - 1] + days[middle]) / 2;
        return Math.Round(median, 2);
    }
}
