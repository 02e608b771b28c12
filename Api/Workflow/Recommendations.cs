using System.ComponentModel;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Api.Matches;
using Marketplace.Api.Storage;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Workflow;

/// <summary>A row of <c>recommendations</c>.</summary>
public sealed class RecommendationRow
{
    public string Id { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string NeedId { get; set; } = "";
    public string OfferId { get; set; } = "";
    public string NeedOrganizationId { get; set; } = "";
    public string OfferOrganizationId { get; set; } = "";
    public string? Note { get; set; }
    public double? Score { get; set; }
    public string? Explanation { get; set; }
    public string NeedAnswer { get; set; } = "";
    public string OfferAnswer { get; set; } = "";
    public string? NeedReason { get; set; }
    public string? OfferReason { get; set; }
    public string Status { get; set; } = "";
    public string? IntroductionId { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string ETag => $"\"{Version}\"";

    public RecommendationResponse ToResponse() => new(Id, AgencyId, NeedId, OfferId, NeedOrganizationId, OfferOrganizationId,
        WorkflowJson.Read<LocalizedText>(Note), Score, WorkflowJson.Read<MatchExplanation>(Explanation), NeedAnswer, OfferAnswer,
        WorkflowJson.Read<LocalizedText>(NeedReason), WorkflowJson.Read<LocalizedText>(OfferReason), Status, IntroductionId, Version, CreatedAt, UpdatedAt);
}

/// <summary>
/// The 协力会 role: an agency recommends a need and an offer to each other's organizations, with a
/// note and the match explanation of that moment; each side accepts or declines, and when both
/// accept an introduction opens between them.
/// </summary>
public static class RecommendationsApi
{
    const string Columns = "id, agency_id, need_id, offer_id, need_organization_id, offer_organization_id, note, score, explanation, need_answer, offer_answer, need_reason, offer_reason, status, introduction_id, version, created_at, updated_at";

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
        group.MapPost("/{id}/accept", (string id, RecommendationAnswer body, HttpContext http, Db db, CancellationToken ct) => Answer(id, true, body, http, db, ct))
            .AddEndpointFilter<ValidationFilter<RecommendationAnswer>>().WithName("AcceptRecommendation")
            .WithSummary("Accept a recommendation for one side · 接受推荐 · Принять рекомендацию")
            .WithDescription("By the need's or the offer's side (their organization or its agency); `side` says which when the caller acts for both. When both sides have accepted, an introduction opens. Honours If-Match.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/decline", (string id, RecommendationAnswer body, HttpContext http, Db db, CancellationToken ct) => Answer(id, false, body, http, db, ct))
            .AddEndpointFilter<ValidationFilter<RecommendationAnswer>>().WithName("DeclineRecommendation")
            .WithSummary("Decline a recommendation with a reason · 谢绝推荐 · Отклонить рекомендацию")
            .WithDescription("By either side, with a reason in zh, ru or en; the recommendation is then declined. Honours If-Match.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    public static async Task<Results<Created<RecommendationResponse>, Ok<RecommendationResponse>, ProblemHttpResult, ValidationProblem>> Recommend(
        RecommendationRequest body, HttpContext http, Db db, ListingStore listings, ListingMatcher matcher,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = "Idempotency-Key")][Description("A key of the client's choosing, at most 100 characters: the same key again answers the recommendation it made")] string? idempotencyKey,
        CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        if (idempotencyKey is { Length: > 100 }) return Problems.Validation("Idempotency-Key", Messages.Get(Messages.TooLong, 100));
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? null : idempotencyKey.Trim();
        await using var connection = await db.OpenAsync(ct);
        if (key is not null && await EarlierAsync(connection, caller.OrganizationId!, key, ct) is { } earlier)
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
        var now = DateTimeOffset.UtcNow;
        RecommendationRow row;
        try
        {
            row = await connection.QuerySingleAsync<RecommendationRow>(new CommandDefinition(
                $"""
                INSERT INTO recommendations ({Columns}, idempotency_key)
                VALUES (@id, @agency, @needId, @offerId, @needOrg, @offerOrg, @note, @score, @explanation, 'pending', 'pending', NULL, NULL, 'pending', NULL, 1, @now, @now, @key)
                RETURNING {Columns}
                """,
                new
                {
                    id = ApiKeys.NewId("rec_"), agency = caller.OrganizationId, needId = need.Id, offerId = offer.Id, needOrg = need.OrganizationId,
                    offerOrg = offer.OrganizationId, note = WorkflowJson.Write(body.Note.Cleaned()), score = pair?.Score,
                    explanation = WorkflowJson.Write(pair?.Explanation), now, key,
                }, cancellationToken: ct));
        }
        catch (System.Data.Common.DbException e) when (Db.IsUniqueViolation(e) && key is not null)
        {
            // The same key arrived twice at once: the one stored first is the answer to both.
            var first = (await EarlierAsync(connection, caller.OrganizationId!, key, ct))!;
            http.Response.Headers.ETag = first.ETag;
            return TypedResults.Ok(first.ToResponse());
        }
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Created($"/api/v1/recommendations/{row.Id}", row.ToResponse());
    }

    static Task<RecommendationRow?> EarlierAsync(System.Data.Common.DbConnection connection, string agency, string key, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM recommendations WHERE agency_id = @agency AND idempotency_key = @key", new { agency, key }, cancellationToken: ct));

    public static async Task<Results<Ok<Page<RecommendationResponse>>, ValidationProblem>> List(HttpContext http, Db db,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        var caller = Caller.From(http.User);
        var where = caller.IsAdmin ? "1 = 1"
            : $"({db.InList("agency_id", "organizations")} OR {db.InList("need_organization_id", "organizations")} OR {db.InList("offer_organization_id", "organizations")})";
        var parameters = new { organizations = caller.ActsFor.ToArray(), offset, limit = size };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM recommendations WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<RecommendationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM recommendations WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", parameters,
            cancellationToken: ct))).ToList();
        return TypedResults.Ok(new Page<RecommendationResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<RecommendationResponse>, ProblemHttpResult>> Get(string id, HttpContext http, Db db, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await VisibleAsync(connection, id, Caller.From(http.User), ct) is not { } row) return Problems.NotFound("recommendation", id);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Ok(row.ToResponse());
    }

    static async Task<RecommendationRow?> VisibleAsync(System.Data.Common.DbConnection connection, string id, Caller caller, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
                $"SELECT {Columns} FROM recommendations WHERE id = @id", new { id }, cancellationToken: ct)) is { } row
            && (caller.CanActFor(row.AgencyId) || caller.CanActFor(row.NeedOrganizationId) || caller.CanActFor(row.OfferOrganizationId))
            ? row
            : null;

    static async Task<Results<Ok<RecommendationResponse>, ProblemHttpResult, ValidationProblem>> Answer(string id, bool accept, RecommendationAnswer body,
        HttpContext http, Db db, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        await using var connection = await db.OpenAsync(ct);
        if (await VisibleAsync(connection, id, caller, ct) is not { } row) return Problems.NotFound("recommendation", id);
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

        var answer = accept ? InterestStatus.Accepted : InterestStatus.Declined;
        var other = side == "need" ? row.OfferAnswer : row.NeedAnswer;
        var status = !accept ? InterestStatus.Declined : other == InterestStatus.Accepted ? InterestStatus.Accepted : InterestStatus.Pending;
        var now = DateTimeOffset.UtcNow;
        var introductionId = status == InterestStatus.Accepted ? ApiKeys.NewId("itr_") : null;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var answered = await connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
            $"""
            UPDATE recommendations SET {side}_answer = @answer, {side}_reason = @reason, status = @status, introduction_id = @introductionId,
                version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id, version = row.Version, answer, reason = WorkflowJson.Write(reason), status, introductionId, now }, transaction, cancellationToken: ct));
        if (answered is null) return Problems.PreconditionFailed(row.ETag, row.Version + 1);
        if (introductionId is not null)
        {
            // The offer's organization is the owner side, the need's the interested one, as after an interest in the offer.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO introductions (id, owner_organization_id, listing_id, organization_id, own_listing_id, interest_id, status, agreement, reason,
                                           version, created_at, updated_at, recommendation_id)
                VALUES (@introductionId, @OfferOrganizationId, @OfferId, @NeedOrganizationId, @NeedId, NULL, 'introduced', NULL, NULL, 1, @now, @now, @Id)
                """, new { introductionId, row.OfferOrganizationId, row.OfferId, row.NeedOrganizationId, row.NeedId, row.Id, now }, transaction, cancellationToken: ct));
            await WorkflowStore.AddEventAsync(connection, transaction, introductionId, IntroductionStatus.Introduced, caller.OrganizationId!, now, row.Note is null ? null : WorkflowJson.Read<LocalizedText>(row.Note), ct);
        }
        await transaction.CommitAsync(ct);
        http.Response.Headers.ETag = answered.ETag;
        return TypedResults.Ok(answered.ToResponse());
    }
}
