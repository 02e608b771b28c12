using System.ComponentModel;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Indexing;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Marketplace.Api.Listings;

/// <summary>The offer and need collections: one shape, one set of handlers, two route groups.</summary>
public static class ListingsApi
{
    public static IEndpointRouteBuilder MapListings(this IEndpointRouteBuilder routes, ListingKind kind)
    {
        var (tag, zh, ru) = kind == ListingKind.Offer ? ("Offers", "技术供给", "предложение") : ("Needs", "技术需求", "запрос");
        var group = routes.MapGroup($"/api/v1/{kind.Collection}").WithTags(tag);
        var name = kind == ListingKind.Offer ? "Offer" : "Need";

        group.MapPost("/", (ListingRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct) =>
                Create(kind, body, http, store, indexer, ct))
            .RequireAuthorization(Policies.Member).AddEndpointFilter<ValidationFilter<ListingRequest>>()
            .WithName($"Create{name}")
            .WithSummary($"Publish {kind.WithArticle}; the same externalRef again updates it · 发布{zh} · Опубликовать {ru}")
            .WithDescription("Idempotent by `externalRef`: 201 when created, 200 with the stored listing when it already exists (updated if the body changed).")
            .ProducesValidationProblem();

        group.MapPost("/bulk", (HttpContext http, ListingBulkImport import, CancellationToken ct) => import.ImportAsync(kind, http, ct))
            .RequireAuthorization(Policies.Member)
            .Accepts<ListingRequest>("application/x-ndjson")
            // 100,000 listings are far more than Kestrel's default 30 MB; the body is streamed, never buffered.
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute())
            .WithName($"Bulk{name}s")
            .WithSummary($"Upsert many {kind.Collection} from NDJSON, one per line, by externalRef · 批量导入{zh} · Массовая загрузка")
            .WithDescription("Streams the body; each line is validated alone and refused lines are listed with their problem, while the good ones are stored. Sending the same file again changes nothing (`unchanged`).")
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/{id}", (string id, HttpContext http, ListingStore store, CancellationToken ct) => Get(kind, id, http, store, ct))
            .WithName($"Get{name}").WithSummary($"Read {kind.WithArticle} · 查看{zh} · Получить {ru}")
            .WithDescription($"A published {kind.Name} is open to anyone; a draft or archived one only to its organization, the agencies that serve it and admins (404 for others). The ETag header carries its version for If-Match.");

        group.MapPut("/{id}", (string id, ListingRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct) =>
                Replace(kind, id, body, http, store, indexer, ct))
            .RequireAuthorization(Policies.Member).AddEndpointFilter<ValidationFilter<ListingRequest>>()
            .WithName($"Update{name}").WithSummary($"Replace {kind.WithArticle}; honours If-Match · 修改{zh} · Изменить {ru}")
            .WithDescription($"Replaces the whole {kind.Name} (the body as for creation); it is re-indexed before the answer. With If-Match, a version changed meanwhile answers 412; an externalRef another {kind.Name} of the organization has answers 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", (string id, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct) =>
                Archive(kind, id, http, store, indexer, ct))
            .RequireAuthorization(Policies.Member)
            .WithName($"Archive{name}").WithSummary($"Archive {kind.WithArticle}; honours If-Match · 归档{zh} · Архивировать {ru}")
            .WithDescription($"Sets the status to archived: the {kind.Name} is kept but no longer searched or matched. Archiving an archived one changes nothing (204).");

        group.MapPost("/{id}/renew", (string id, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct) =>
                Renew(kind, id, http, store, indexer, ct))
            .RequireAuthorization(Policies.Member)
            .WithName($"Renew{name}").WithSummary($"Renew {kind.WithArticle} for another lifetime; honours If-Match · 续期{zh} · Продлить {ru}")
            .WithDescription($"A published {kind.Name} gets a new expiry (Marketplace:Listings:LifetimeDays from now, 365 by default); an expired one is published again. A draft or archived one answers 409 naming its status. By its organization, the agencies that serve it and admins.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/review", (string id, ReviewRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct) =>
                Review(kind, id, body, http, store, indexer, ct))
            .RequireAuthorization(Policies.Agency).AddEndpointFilter<ValidationFilter<ReviewRequest>>()
            .WithName($"Review{name}").WithSummary($"Publish or reject a submitted {kind.Name}; honours If-Match · 审核{zh} · Проверить {ru}")
            .WithDescription($"By the agency that serves the {kind.Name}'s organization, or an admin (403 for others). `publish` publishes it for a lifetime from now; `reject` sends it back with the reason (required, zh/ru/en), which its organization reads in `review`; changing it submits it again. A {kind.Name} that is not submitted answers 409 naming its status.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        group.MapGet("/", ([AsParameters] SearchParameters query, ListingSearch search, CancellationToken ct) => search.RunAsync(kind, query, ct))
            .WithName($"Search{name}s")
            .WithSummary($"Search and list published {kind.Collection} with filters and facets · 检索{zh} · Поиск: {ru}")
            .WithDescription("Full-text search in Chinese, Russian or both at once (`q=潜水泵 насосы`), filters, facets and cursor paging. Without `q`, newest first.")
            .ProducesValidationProblem();
        return routes;
    }

    public static async Task<Results<Created<ListingResponse>, Ok<ListingResponse>, ProblemHttpResult, ValidationProblem>> Create(
        ListingKind kind, ListingRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        var organizationId = string.IsNullOrWhiteSpace(body.OrganizationId) ? caller.OrganizationId! : body.OrganizationId.Trim();
        if (!caller.CanActFor(organizationId)) return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (!await store.OrganizationExistsAsync(organizationId, ct))
            return Problems.Validation("organizationId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("organization"), organizationId));

        var (row, outcome) = await store.UpsertAsync(kind, organizationId, body.ExternalRef?.Trim(), ListingContent.From(body),
            caller.CanReview(organizationId), ct);
        if (outcome != ListingStore.Outcome.Unchanged) await indexer.IndexNowAsync([row]);
        http.Response.Headers.ETag = row.ETag;
        return outcome == ListingStore.Outcome.Created
            ? TypedResults.Created($"/api/v1/{kind.Collection}/{row.Id}", row.ToResponse())
            : TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> Get(
        ListingKind kind, string id, HttpContext http, ListingStore store, CancellationToken ct)
    {
        var row = await store.FindAsync(id, ct);
        // Drafts and archived listings are visible to their organization (and the agencies that serve it) only.
        if (row is null || row.Kind != kind.Name || (row.Status != ListingStatus.Published && !Caller.From(http.User).CanActFor(row.OrganizationId)))
            return Problems.NotFound(kind.Name, id);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult, ValidationProblem>> Replace(
        ListingKind kind, string id, ListingRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct)
    {
        var (row, problem) = await ChangeableAsync(kind, id, http, store, ct);
        if (row is null) return problem!;
        if (body.OrganizationId is not null && body.OrganizationId != row.OrganizationId)
            return Problems.Validation("organizationId", Messages.Get(Messages.OtherOrganization));

        var externalRef = body.ExternalRef?.Trim();
        if (externalRef is not null && externalRef != row.ExternalRef && await store.FindByExternalRefAsync(kind, row.OrganizationId, externalRef, ct) is not null)
            return Problems.Conflict(Messages.Get(Messages.ExternalRefTaken, externalRef));
        var updated = await store.ReplaceAsync(row.Id, row.Version, externalRef, ListingContent.From(body),
            Caller.From(http.User).CanReview(row.OrganizationId), ct);
        if (updated is null) return Problems.PreconditionFailed(row.ETag, (await store.FindAsync(id, ct))!.Version);
        await indexer.IndexNowAsync([updated]);
        http.Response.Headers.ETag = updated.ETag;
        return TypedResults.Ok(updated.ToResponse());
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> Renew(
        ListingKind kind, string id, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct)
    {
        var (row, problem) = await ChangeableAsync(kind, id, http, store, ct);
        if (row is null) return problem!;
        if (row.Status is not (ListingStatus.Published or ListingStatus.Expired))
            return Problems.Conflict(Messages.Get(Messages.NotRenewable, Messages.StatusName(row.Status)));
        var renewed = await store.RenewAsync(row.Id, row.Version, ct);
        if (renewed is null) return Problems.PreconditionFailed(row.ETag, (await store.FindAsync(id, ct))!.Version);
        await indexer.IndexNowAsync([renewed]);
        http.Response.Headers.ETag = renewed.ETag;
        return TypedResults.Ok(renewed.ToResponse());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Archive(
        ListingKind kind, string id, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct)
    {
        var (row, problem) = await ChangeableAsync(kind, id, http, store, ct);
        if (row is null) return problem!;
        if (row.Status == ListingStatus.Archived) return TypedResults.NoContent();
        var updated = await store.ReplaceAsync(row.Id, row.Version, null, row.Content with { Status = ListingStatus.Archived }, byReviewer: true, ct);
        if (updated is null) return Problems.PreconditionFailed(row.ETag, row.Version + 1);
        await indexer.IndexNowAsync([updated]);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ListingResponse>, ProblemHttpResult>> Review(
        ListingKind kind, string id, ReviewRequest body, HttpContext http, ListingStore store, ListingIndexer indexer, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        var (row, problem) = await ChangeableAsync(kind, id, http, store, ct, (c, organization) => c.CanReview(organization), Messages.NotReviewer);
        if (row is null) return problem!;
        if (row.Status != ListingStatus.Submitted) return Problems.Conflict(Messages.Get(Messages.NotSubmitted, Messages.StatusName(row.Status)));
        var review = new ListingReview(
            body.Decision == ReviewDecision.Publish ? ListingStatus.Published : ListingStatus.Rejected,
            body.Reason.Cleaned(), caller.OrganizationId!, DateTimeOffset.UtcNow);
        var reviewed = await store.ReviewAsync(row.Id, row.Version, review, ct);
        if (reviewed is null) return Problems.PreconditionFailed(row.ETag, (await store.FindAsync(id, ct))!.Version);
        await indexer.IndexNowAsync([reviewed]);
        http.Response.Headers.ETag = reviewed.ETag;
        return TypedResults.Ok(reviewed.ToResponse());
    }

    /// <summary>
    /// What every change of one listing starts with: it exists as this kind (else 404), the caller may
    /// change it (else 403: by default, acts for its organization) and If-Match names its version (else 412).
    /// </summary>
    static async Task<(ListingRow? Row, ProblemHttpResult? Problem)> ChangeableAsync(ListingKind kind, string id, HttpContext http,
        ListingStore store, CancellationToken ct, Func<Caller, string, bool>? may = null, string refusal = Messages.OtherOrganization)
    {
        var row = await store.FindAsync(id, ct);
        if (row is null || row.Kind != kind.Name) return (null, Problems.NotFound(kind.Name, id));
        var caller = Caller.From(http.User);
        if (!(may ?? ((c, organization) => c.CanActFor(organization)))(caller, row.OrganizationId)) return (null, Problems.Forbidden(Messages.Get(refusal)));
        return Preconditions.Stale(http, row.Version) is { } stale ? (null, stale) : (row, null);
    }
}

/// <summary>Query parameters of a search; each filter that is set must hold.</summary>
public sealed record SearchParameters(
    [property: Description("Text in Chinese, Russian or both, e.g. 潜水泵 or насосы")][FromQuery(Name = "q")] string? Q,
    [property: Description("Field code, e.g. new-materials")][FromQuery(Name = "field")] string? Field,
    [property: Description("ISO 3166-1 alpha-2 country, e.g. CN or RU")][FromQuery(Name = "country")] string? Country,
    [property: Description("Lowest TRL, 1-9")][FromQuery(Name = "trlMin")] int? TrlMin,
    [property: Description("Highest TRL, 1-9")][FromQuery(Name = "trlMax")] int? TrlMax,
    [property: Description("Cooperation form codes; any of them matches")][FromQuery(Name = "form")] string[]? Form,
    [property: Description("Only listings written in this language: zh, ru or en")][FromQuery(Name = "lang")] string? Lang,
    [property: Description("The nextCursor of the previous page")][FromQuery(Name = "cursor")] string? Cursor,
    [property: Description("Page size, 1-100, default 20")][FromQuery(Name = "limit")] int? Limit);
