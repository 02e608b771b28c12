using System.ComponentModel;
using System.Globalization;
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

    public static async Task<Results<Ok<FunnelReport>, ValidationProblem>> Funnel(HttpContext http, FunnelStore store,
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
        var (listings, interests, introductions, agreements) = await store.ReadAsync(start, end, field, country, scope, ct);

        FunnelCounts Counts(Func<string, bool> listing, Func<FunnelStep, bool> step) => new(
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
    static string Direction(FunnelStep step) => (step.OtherCountry, step.ListingCountry) switch
    {
        ("CN", "RU") => "CN→RU",
        ("RU", "CN") => "RU→CN",
        ({ } a, var b) when a == b => "same-country",
        _ => "other",
    };

    static double? Median(IEnumerable<FunnelStep> steps)
    {
        var days = steps.Where(s => s.Since is not null).Select(s => (s.At - s.Since!.Value).TotalDays).Order().ToList();
        if (days.Count == 0) return null;
        var middle = days.Count / 2;
        var median = days.Count % 2 == 1 ? days[middle] : (days[middle - 1] + days[middle]) / 2;
        return Math.Round(median, 2);
    }
}
