using System.ComponentModel;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Listings;

/// <summary>The review queue: the submitted listings a reviewer decides on.</summary>
public static class ReviewsApi
{
    public static IEndpointRouteBuilder MapReviews(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/reviews", List).WithTags("Reviews").RequireAuthorization(Policies.Agency)
            .WithName("ListSubmittedListings")
            .WithSummary("Listings waiting for review · 待审核条目 · Записи на проверке")
            .WithDescription("The submitted offers and needs the caller reviews — an agency's clients', every organization's for an admin — longest waiting first. Publish or reject each with POST /api/v1/offers/{id}/review or /api/v1/needs/{id}/review.")
            .ProducesValidationProblem();
        return routes;
    }

    public static async Task<Results<Ok<Page<ListingResponse>>, ValidationProblem>> List(HttpContext http, ListingStore store,
        [Description("offer or need; both when absent")] string? kind,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        if (kind is not null && kind is not ("offer" or "need")) return Problems.Validation("kind", Messages.Get(Messages.UnknownCode, kind));
        var caller = Caller.From(http.User);
        // An admin reviews every organization's listings, an agency its clients'.
        var (rows, total) = await store.SubmittedAsync(caller.IsAdmin ? null : caller.Clients, kind, offset, size, ct);
        return TypedResults.Ok(new Page<ListingResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }
}
