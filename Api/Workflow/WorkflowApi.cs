using System.ComponentModel;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Workflow;

/// <summary>
/// Expressions of interest and the introductions they open: an organization (or the agency that
/// serves it) shows interest in another's published listing; the owner accepts or declines; an
/// acceptance introduces the two, who then see each other's contact and record how the case ends.
/// </summary>
public static class WorkflowApi
{
    public static IEndpointRouteBuilder MapWorkflow(this IEndpointRouteBuilder routes)
    {
        var interests = routes.MapGroup("/api/v1/interests").WithTags("Interests").RequireAuthorization(Policies.Member);
        interests.MapPost("/", Express).AddEndpointFilter<ValidationFilter<InterestRequest>>()
            .WithName("ExpressInterest").WithSummary("Express interest in another organization's listing · 表达合作意向 · Заявить о заинтересованности")
            .WithDescription("For the key's organization, or for a client of an agency key. The listing must be published and another organization's (409 otherwise). With an `Idempotency-Key` header, sending the same request again answers the interest made the first time (200) instead of a second one.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        interests.MapGet("/", List).WithName("ListInterests")
            .WithSummary("Interests received or sent · 收到或发出的合作意向 · Полученные и отправленные заявки")
            .WithDescription("`direction=received` (default): interests in the listings of the organizations the caller acts for; `sent`: the interests they expressed. Newest first.")
            .ProducesValidationProblem();
        interests.MapGet("/{id}", Get).WithName("GetInterest").WithSummary("Read an interest · 查看合作意向 · Заявка")
            .WithDescription("Readable by both sides and the agencies that serve them (404 for anyone else).");
        interests.MapPost("/{id}/accept", Accept).WithName("AcceptInterest")
            .WithSummary("Accept an interest; an introduction opens · 接受合作意向 · Принять заявку")
            .WithDescription("By the listing's organization or the agency that serves it; honours If-Match. Both sides then see each other's contact in the introduction. An interest already answered answers 409 naming its status.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        interests.MapPost("/{id}/decline", Decline).AddEndpointFilter<ValidationFilter<InterestAnswer>>().WithName("DeclineInterest")
            .WithSummary("Decline an interest with a reason · 谢绝合作意向 · Отклонить заявку")
            .WithDescription("By the listing's organization or the agency that serves it, with a reason in zh, ru or en; honours If-Match.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        var introductions = routes.MapGroup("/api/v1/introductions").WithTags("Introductions").RequireAuthorization(Policies.Member);
        introductions.MapGet("/", ListIntroductions).WithName("ListIntroductions")
            .WithSummary("Introductions of the caller's organizations · 对接记录 · Знакомства")
            .WithDescription("Every introduction either side of which the caller acts for (an admin: all), newest first.")
            .ProducesValidationProblem();
        introductions.MapGet("/{id}", GetIntroduction).WithName("GetIntroduction")
            .WithSummary("Read an introduction with both contacts and its history · 查看对接 · Знакомство")
            .WithDescription("Both sides, their contacts, the agreement or the reason it closed, and every transition with who and when. Readable by both sides and their agencies (404 for anyone else).");
        introductions.MapPost("/{id}/transitions", Move).AddEndpointFilter<ValidationFilter<IntroductionTransition>>().WithName("MoveIntroduction")
            .WithSummary("Move an introduction on: negotiating, agreement or closed · 更新对接状态 · Изменить состояние знакомства")
            .WithDescription("introduced → negotiating → agreement (form of cooperation, date, optional value), or closed (reason) from either open state. By either side or their agencies; honours If-Match. A move the current state does not allow answers 409 naming the state.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Results<Created<InterestResponse>, Ok<InterestResponse>, ProblemHttpResult, ValidationProblem>> Express(
        InterestRequest body, HttpContext http, WorkflowStore store, ListingStore listings,
        [FromHeader(Name = "Idempotency-Key")][Description("A key of the client's choosing, at most 100 characters: the same key again answers the interest it made")] string? idempotencyKey,
        CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        var organizationId = string.IsNullOrWhiteSpace(body.OrganizationId) ? caller.OrganizationId! : body.OrganizationId.Trim();
        if (!caller.CanActFor(organizationId)) return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (idempotencyKey is { Length: > 100 }) return Problems.Validation("Idempotency-Key", Messages.Get(Messages.TooLong, 100));
        var listing = await listings.FindAsync(body.ListingId!.Trim(), ct);
        // A listing another organization has not published does not exist for the caller.
        if (listing is null || (listing.Status != ListingStatus.Published && !caller.CanActFor(listing.OrganizationId)))
            return Problems.Validation("listingId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("listing"), body.ListingId));
        if (listing.OrganizationId == organizationId) return Problems.Conflict(Messages.Get(Messages.OwnListing));
        if (listing.Status != ListingStatus.Published)
            return Problems.Conflict(Messages.Get(Messages.NotPublished, Messages.StatusName(listing.Status)));
        if (body.OwnListingId is { } own && (await listings.FindAsync(own.Trim(), ct) is not { } ownRow || ownRow.OrganizationId != organizationId))
            return Problems.Validation("ownListingId", Messages.Get(Messages.NotOwnListing));

        var (row, replayed) = await store.AddInterestAsync(new InterestRow
        {
            Id = ApiKeys.NewId("int_"), ListingId = listing.Id, OwnerOrganizationId = listing.OrganizationId, OrganizationId = organizationId,
            OwnListingId = body.OwnListingId?.Trim(), Message = WorkflowJson.Write(body.Message.Cleaned())!, Status = InterestStatus.Pending,
            IdempotencyKey = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim(), CreatedBy = caller.OrganizationId!,
            CreatedAt = DateTimeOffset.UtcNow,
        }, listing.ToSummary(), ct);
        http.Response.Headers.ETag = row.ETag;
        return replayed ? TypedResults.Ok(row.ToResponse()) : TypedResults.Created($"/api/v1/interests/{row.Id}", row.ToResponse());
    }

    public static async Task<Results<Ok<Page<InterestResponse>>, ValidationProblem>> List(HttpContext http, WorkflowStore store,
        [Description("received (default): interests in the caller's listings; sent: interests the caller expressed")] string? direction,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        if (direction is not (null or "received" or "sent")) return Problems.Validation("direction", Messages.Get(Messages.UnknownCode, direction));
        var caller = Caller.From(http.User);
        var (rows, total) = await store.ListInterestsAsync(caller.IsAdmin ? null : caller.ActsFor, direction != "sent", offset, size, ct);
        return TypedResults.Ok(new Page<InterestResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<InterestResponse>, ProblemHttpResult>> Get(string id, HttpContext http, WorkflowStore store, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (await store.FindInterestAsync(id, ct) is not { } row || !(caller.CanActFor(row.OrganizationId) || caller.CanActFor(row.OwnerOrganizationId)))
            return Problems.NotFound("interest", id);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Ok(row.ToResponse());
    }

    public static Task<Results<Ok<InterestResponse>, ProblemHttpResult, ValidationProblem>> Accept(string id, HttpContext http, WorkflowStore store,
        CancellationToken ct) => Answer(id, accept: true, null, http, store, ct);

    public static Task<Results<Ok<InterestResponse>, ProblemHttpResult, ValidationProblem>> Decline(string id, InterestAnswer body, HttpContext http,
        WorkflowStore store, CancellationToken ct) => Answer(id, accept: false, body.Reason.Cleaned(), http, store, ct);

    static async Task<Results<Ok<InterestResponse>, ProblemHttpResult, ValidationProblem>> Answer(string id, bool accept, LocalizedText? reason,
        HttpContext http, WorkflowStore store, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (await store.FindInterestAsync(id, ct) is not { } row || !(caller.CanActFor(row.OrganizationId) || caller.CanActFor(row.OwnerOrganizationId)))
            return Problems.NotFound("interest", id);
        if (!caller.CanActFor(row.OwnerOrganizationId)) return Problems.Forbidden(Messages.Get(Messages.OwnerAnswers));
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        if (row.Status != InterestStatus.Pending) return Problems.Conflict(Messages.Get(Messages.AlreadyAnswered, Messages.StatusName(row.Status)));
        if (!accept && reason is null) return Problems.Validation("reason", Messages.Get(Messages.ReasonNeeded));
        var answered = await store.AnswerAsync(row, accept, reason, caller.OrganizationId!, ct);
        if (answered is null) return Problems.PreconditionFailed(row.ETag, (await store.FindInterestAsync(id, ct))!.Version);
        http.Response.Headers.ETag = answered.ETag;
        return TypedResults.Ok(answered.ToResponse());
    }

    public static async Task<Results<Ok<Page<IntroductionResponse>>, ValidationProblem>> ListIntroductions(HttpContext http, WorkflowStore store, Db db,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        var caller = Caller.From(http.User);
        var (rows, total) = await store.ListIntroductionsAsync(caller.IsAdmin ? null : caller.ActsFor, offset, size, ct);
        var items = new List<IntroductionResponse>();
        await using var connection = await db.OpenAsync(ct);
        foreach (var row in rows) items.Add(await ResponseAsync(connection, row, await WorkflowStore.HistoryAsync(connection, row.Id, ct), ct));
        return TypedResults.Ok(new Page<IntroductionResponse>(items, Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<IntroductionResponse>, ProblemHttpResult>> GetIntroduction(string id, HttpContext http, WorkflowStore store, Db db,
        CancellationToken ct)
    {
        if (await VisibleIntroductionAsync(id, http, store, ct) is not { } found) return Problems.NotFound("introduction", id);
        http.Response.Headers.ETag = found.Row.ETag;
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await ResponseAsync(connection, found.Row, found.History, ct));
    }

    public static async Task<Results<Ok<IntroductionResponse>, ProblemHttpResult, ValidationProblem>> Move(string id, IntroductionTransition body,
        HttpContext http, WorkflowStore store, Db db, CancellationToken ct)
    {
        if (await VisibleIntroductionAsync(id, http, store, ct) is not { } found) return Problems.NotFound("introduction", id);
        var row = found.Row;
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        if (!IntroductionStatus.Next[row.Status].Contains(body.Status!))
            return Problems.Conflict(Messages.Get(Messages.CannotMove, Messages.StatusName(row.Status), Messages.StatusName(body.Status!)));
        var moved = await store.MoveAsync(row, body.Status!, body.Status == IntroductionStatus.Agreement ? body.Agreement : null, body.Reason.Cleaned(),
            Caller.From(http.User).OrganizationId!, ct);
        if (moved is null) return Problems.PreconditionFailed(row.ETag, (await store.FindIntroductionAsync(id, ct))!.Value.Row.Version);
        http.Response.Headers.ETag = moved.ETag;
        await using var connection = await db.OpenAsync(ct);
        return TypedResults.Ok(await ResponseAsync(connection, moved, await WorkflowStore.HistoryAsync(connection, id, ct), ct));
    }

    /// <summary>An introduction the caller acts for a side of; null for anyone else, as if there were none.</summary>
    static async Task<(IntroductionRow Row, IReadOnlyList<IntroductionEventRow> History)?> VisibleIntroductionAsync(string id, HttpContext http,
        WorkflowStore store, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        return await store.FindIntroductionAsync(id, ct) is { } found
               && (caller.CanActFor(found.Row.OwnerOrganizationId) || caller.CanActFor(found.Row.OrganizationId))
            ? found
            : null;
    }

    /// <summary>Both sides with their contacts: an introduction is what makes them visible to each other.</summary>
    static async Task<IntroductionResponse> ResponseAsync(System.Data.Common.DbConnection connection, IntroductionRow row,
        IReadOnlyList<IntroductionEventRow> history, CancellationToken ct)
    {
        async Task<IntroductionParty> Party(string organizationId, string? listingId)
        {
            var profile = await OrganizationsApi.ProfileAsync(connection, organizationId, withContact: true, ct);
            return new IntroductionParty(organizationId, profile?.Name ?? new LocalizedText(), profile?.Contact, listingId);
        }
        return new IntroductionResponse(row.Id, row.Status, await Party(row.OwnerOrganizationId, row.ListingId),
            await Party(row.OrganizationId, row.OwnListingId), row.InterestId, row.RecommendationId, WorkflowJson.Read<AgreementTerms>(row.Agreement),
            WorkflowJson.Read<LocalizedText>(row.Reason),
            history.Select(e => new IntroductionEvent(e.Status, e.ByOrganizationId, e.At, WorkflowJson.Read<LocalizedText>(e.Note))).ToList(),
            row.Version, row.CreatedAt);
    }
}
