using System.ComponentModel;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Api.Matches;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Workflow;

/// <summary>
/// The 协力会 role: an agency recommends a need and an offer to each other's organizations, with a
/// note and the match explanation of that moment; each side accepts or declines, and when both
/// accept an introduction opens between them.
/// </summary>
public static class RecommendationsApi
{
    public static IEndpointRouteBuilder MapRecommendations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/recommendations").WithTags("Recommendations").RequireAuthorization(Policies.Member);
        group.MapPost("/", Recommend).RequireAuthorization(Policies.Agency).AddEndpointFilter<ValidationFilter<RecommendationRequest>>()
            .WithName("Recommend").WithSummary("Recommend a need and an offer to each other · 推荐对接 · Рекомендовать партнёров")
            .WithDescription("By an agency that serves the need's or the offer's organization, or an admin. Both listings must be published and of different organizations (409 otherwise). The recommendation keeps the pair's match score and explanation of this moment. With an `Idempotency-Key` header, sending it again answers the recommendation made the first time (200).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", List).WithName("ListRecommendations")
            .WithSummary("Recommendations made by or to the caller · 推荐记录 · Рекомендации")
            .WithDescription("Those the caller's agency made and those addressed to the organizations it acts for (an admin: all), newest first, with each side's answer.")
            .ProducesValidationProblem();
        group.MapGet("/{id}", Get).WithName("GetRecommendation").WithSummary("Read a recommendation · 查看推荐 · Рекомендация")
            .WithDescription("Readable by the agency that made it, both sides and their agencies (404 for anyone else).");
        group.MapPost("/{id}/accept", (string id, RecommendationAnswer body, HttpContext http, RecommendationStore store, CancellationToken ct) => Answer(id, true, body, http, store, ct))
            .AddEndpointFilter<ValidationFilter<RecommendationAnswer>>().WithName("AcceptRecommendation")
            .WithSummary("Accept a recommendation for one side · 接受推荐 · Принять рекомендацию")
            .WithDescription("By the need's or the offer's side (their organization or its agency); `side` says which when the caller acts for both. When both sides have accepted, an introduction opens. Honours If-Match.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/decline", (string id, RecommendationAnswer body, HttpContext http, RecommendationStore store, CancellationToken ct) => Answer(id, false, body, http, store, ct))
            .AddEndpointFilter<ValidationFilter<RecommendationAnswer>>().WithName("DeclineRecommendation")
            .WithSummary("Decline a recommendation with a reason · 谢绝推荐 · Отклонить рекомендацию")
            .WithDescription("By either side, with a reason in zh, ru or en; the recommendation is then declined. Honours If-Match.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Results<Created<RecommendationResponse>, Ok<RecommendationResponse>, ProblemHttpResult, ValidationProblem>> Recommend(
        RecommendationRequest body, HttpContext http, RecommendationStore store, ListingStore listings, ListingMatcher matcher,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")][Description("A key of the client's choosing, at most 100 characters: the same key again answers the recommendation it made")] string? idempotencyKey,
        CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (idempotencyKey is { Length: > 100 }) return Problems.Validation("Idempotency-Key", Messages.Get(Messages.TooLong, 100));
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        if (key is not null && await store.EarlierAsync(caller.OrganizationId!, key, ct) is { } earlier)
        {
            http.Response.Headers.ETag = earlier.ETag;
            return TypedResults.Ok(earlier.ToResponse());
        }
        var need = await listings.FindAsync(body.NeedId!.Trim(), ct);
        var offer = await listings.FindAsync(body.OfferId!.Trim(), ct);
        if (need is null || need.Kind != "need" || (need.Status != ListingStatus.Published && !caller.CanActFor(need.OrganizationId)))
            return Problems.Validation("needId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("need"), body.NeedId));
        if (offer is null || offer.Kind != "offer" || (offer.Status != ListingStatus.Published && !caller.CanActFor(offer.OrganizationId)))
            return Problems.Validation("offerId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("offer"), body.OfferId));
        if (!caller.CanActFor(need.OrganizationId) && !caller.CanActFor(offer.OrganizationId))
            return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (need.OrganizationId == offer.OrganizationId) return Problems.Conflict(Messages.Get(Messages.SameOrganization));
        foreach (var listing in new[] { need, offer })
            if (listing.Status != ListingStatus.Published) return Problems.Conflict(Messages.Get(Messages.NotPublished, Messages.StatusName(listing.Status)));

        // The pair's explanation now: the need matched among offers of the offer's field and country, where the offer ranks.
        var offerContent = offer.Content;
        var matches = await matcher.MatchAsync(need.Content, ListingKind.Need, new Search.ListingFilter { Field = offerContent.Field, Country = offerContent.Country },
            limit: 100, explain: true, ct);
        var pair = matches.Items.FirstOrDefault(m => m.Listing.Id == offer.Id);
        var (row, replayed) = await store.AddAsync(new RecommendationRow
        {
            Id = ApiKeys.NewId("rec_"), AgencyId = caller.OrganizationId!, NeedId = need.Id, OfferId = offer.Id, NeedOrganizationId = need.OrganizationId,
            OfferOrganizationId = offer.OrganizationId, Note = WorkflowJson.Write(body.Note.Cleaned()), Score = pair?.Score,
            Explanation = WorkflowJson.Write(pair?.Explanation), IdempotencyKey = key, CreatedAt = DateTimeOffset.UtcNow,
        }, ct);
        http.Response.Headers.ETag = row.ETag;
        // The same key sent twice at once: the one stored first answers both, the second with 200.
        return replayed ? TypedResults.Ok(row.ToResponse()) : TypedResults.Created($"/api/v1/recommendations/{row.Id}", row.ToResponse());
    }

    public static async Task<Results<Ok<Page<RecommendationResponse>>, ValidationProblem>> List(HttpContext http, RecommendationStore store,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        var caller = Caller.From(http.User);
        var (rows, total) = await store.ListAsync(caller.IsAdmin ? null : caller.ActsFor, offset, size, ct);
        return TypedResults.Ok(new Page<RecommendationResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<RecommendationResponse>, ProblemHttpResult>> Get(string id, HttpContext http, RecommendationStore store,
        CancellationToken ct)
    {
        if (await VisibleAsync(store, id, Caller.From(http.User), ct) is not { } row) return Problems.NotFound("recommendation", id);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Ok(row.ToResponse());
    }

    /// <summary>A recommendation the caller made or acts for a side of; null for anyone else, as if there were none.</summary>
    static async Task<RecommendationRow?> VisibleAsync(RecommendationStore store, string id, Caller caller, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } row
            && (caller.CanActFor(row.AgencyId) || caller.CanActFor(row.NeedOrganizationId) || caller.CanActFor(row.OfferOrganizationId))
            ? row
            : null;

    static async Task<Results<Ok<RecommendationResponse>, ProblemHttpResult, ValidationProblem>> Answer(string id, bool accept, RecommendationAnswer body,
        HttpContext http, RecommendationStore store, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (await VisibleAsync(store, id, caller, ct) is not { } row) return Problems.NotFound("recommendation", id);
        var (forNeed, forOffer) = (caller.CanActFor(row.NeedOrganizationId), caller.CanActFor(row.OfferOrganizationId));
        if (!forNeed && !forOffer) return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (body.Side is not null && body.Side is not ("need" or "offer")) return Problems.Validation("side", Messages.Get(Messages.UnknownCode, body.Side));
        if (forNeed && forOffer && body.Side is null) return Problems.Validation("side", Messages.Get(Messages.Required, "side"));
        var side = body.Side ?? (forNeed ? "need" : "offer");
        if (side == "need" ? !forNeed : !forOffer) return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        var current = side == "need" ? row.NeedAnswer : row.OfferAnswer;
        if (row.Status != InterestStatus.Pending || current != InterestStatus.Pending)
            return Problems.Conflict(Messages.Get(Messages.AlreadyAnswered, Messages.StatusName(row.Status != InterestStatus.Pending ? row.Status : current)));
        var reason = body.Reason.Cleaned();
        if (!accept && reason is null) return Problems.Validation("reason", Messages.Get(Messages.ReasonNeeded));

        var answered = await store.AnswerAsync(row, side, accept, reason, caller.OrganizationId!, ct);
        if (answered is null) return Problems.PreconditionFailed(row.ETag, (await store.FindAsync(id, ct))!.Version);
        http.Response.Headers.ETag = answered.ETag;
        return TypedResults.Ok(answered.ToResponse());
    }
}
