using System.ComponentModel;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Matches;

public static class MatchesApi
{
    public const int DefaultLimit = 10;

    public static IEndpointRouteBuilder MapMatches(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Matching");
        group.MapGet("/needs/{id}/matches", ([AsParameters] MatchParameters p, string id, HttpContext http, ListingStore store,
                ListingMatcher matcher, CancellationToken ct) => Stored(ListingKind.Need, id, p, http, store, matcher, ct))
            .WithName("MatchNeed")
            .WithSummary("Offers that could satisfy a need, across Chinese and Russian · 为需求匹配技术供给 · Предложения для запроса")
            .WithDescription("Ranks published offers by text relevance (BM25), shared glossary concepts and compatibility (TRL, cooperation forms, field). `explain=true` says why.")
            .ProducesValidationProblem();
        group.MapGet("/offers/{id}/matches", ([AsParameters] MatchParameters p, string id, HttpContext http, ListingStore store,
                ListingMatcher matcher, CancellationToken ct) => Stored(ListingKind.Offer, id, p, http, store, matcher, ct))
            .WithName("MatchOffer")
            .WithSummary("Needs an offer could satisfy · 为技术供给匹配需求 · Запросы для предложения")
            .WithDescription("Ranks published needs for a published offer as offers are ranked for a need: text relevance in the shared language and in translation, shared glossary concepts, compatibility. `explain=true` says why.")
            .ProducesValidationProblem();
        group.MapPost("/match", AdHoc).RequireAuthorization(Policies.Agency)
            .AddEndpointFilter<ValidationFilter<MatchRequest>>()
            .WithName("MatchAdHoc")
            .WithSummary("Match a listing body that is not stored (agency) · 临时匹配 · Разовый подбор")
            .WithDescription("The body is validated like a listing and matched against `target` (offers for a need, needs for an offer) without being stored: an intermediary's what-if query.")
            .ProducesValidationProblem();
        return routes;
    }

    public static async Task<Results<Ok<MatchResponse>, ProblemHttpResult, ValidationProblem>> Stored(
        ListingKind kind, string id, MatchParameters p, HttpContext http, ListingStore store, ListingMatcher matcher, CancellationToken ct)
    {
        if (Validate(p) is { Count: > 0 } errors) return Problems.Validation(errors);
        var row = await store.FindAsync(id, ct);
        if (row is null || row.Kind != kind.Name || (row.Status != ListingStatus.Published && !Caller.From(http.User).CanActFor(row.OrganizationId)))
            return Problems.NotFound(kind.Name, id);
        return TypedResults.Ok(await matcher.MatchAsync(row.Content, kind, p.ToFilter(), p.Limit ?? DefaultLimit, p.Explain ?? false, ct));
    }

    public static async Task<Results<Ok<MatchResponse>, ValidationProblem>> AdHoc(
        MatchRequest body, [AsParameters] MatchParameters p, ListingMatcher matcher, CancellationToken ct)
    {
        if (Validate(p) is { Count: > 0 } errors) return Problems.Validation(errors);
        var kind = body.Target == "offers" ? ListingKind.Need : ListingKind.Offer;
        return TypedResults.Ok(await matcher.MatchAsync(ListingContent.From(body), kind, p.ToFilter(), p.Limit ?? DefaultLimit, p.Explain ?? false, ct));
    }

    static Dictionary<string, string[]> Validate(MatchParameters p)
    {
        var errors = ListingSearch.ValidateFilters(p.Field, p.Country, p.TrlMin, p.TrlMax, p.Form, p.Lang);
        if (p.Limit is not null and not (>= 1 and <= ListingSearch.MaxLimit)) errors["limit"] = [Messages.Get(Messages.TooMany, ListingSearch.MaxLimit)];
        return errors;
    }
}

/// <summary>Query parameters of a match: the search filters, how many results, and whether to explain them.</summary>
public sealed record MatchParameters(
    [property: Description("How many matches, 1-100, default 10")][FromQuery(Name = "limit")] int? Limit,
    [property: Description("Add an explanation to each match: component scores, shared words and concepts, conflicts")][FromQuery(Name = "explain")] bool? Explain,
    [property: Description("Field code of the candidates")][FromQuery(Name = "field")] string? Field,
    [property: Description("Country of the candidates, ISO 3166-1 alpha-2")][FromQuery(Name = "country")] string? Country,
    [property: Description("Lowest TRL of the candidates")][FromQuery(Name = "trlMin")] int? TrlMin,
    [property: Description("Highest TRL of the candidates")][FromQuery(Name = "trlMax")] int? TrlMax,
    [property: Description("Cooperation forms; any of them")][FromQuery(Name = "form")] string[]? Form,
    [property: Description("Only candidates written in this language: zh, ru or en")][FromQuery(Name = "lang")] string? Lang)
{
    public ListingFilter ToFilter() => new()
    {
        Field = Field, Country = Country, TrlMin = TrlMin, TrlMax = TrlMax, CooperationForms = Form, Language = Lang,
    };
}
