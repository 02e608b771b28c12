using FluentValidation;
using Marketplace.Api.Auth;
using Marketplace.Api.Glossary;
using Marketplace.Api.Indexing;
using Marketplace.Api.Listings;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Admin;

public static partial class AdminApi
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapPost("/reindex", Reindex).WithName("Reindex")
            .WithSummary("Rebuild the search index from the database · 重建索引 · Перестроить индекс")
            .WithDescription("Searches keep answering from the old index until the new one is complete. The rebuild runs on the server: "
                             + "a client that stops waiting does not stop it (GET /admin/index-status follows it), and a second call joins the running one.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/index-status", IndexStatus).WithName("IndexStatus")
            .WithSummary("The indexing backlog, parked listings and the last rebuild · 索引状态 · Состояние индекса")
            .WithDescription("How many listings wait in the outbox for the search engine, the listings set aside after repeated refusals (parked) with the engine's reason, and the state of the last rebuild. Admin only.");
        group.MapPost("/index-status/retry", RetryParked).WithName("RetryParked")
            .WithSummary("Retry parked listings, all or those named · 重试被搁置的条目 · Повторить отложенные записи")
            .WithDescription("Without a body every parked listing is retried; `{\"listingIds\": [...]}` retries those named.");

        routes.MapGet("/api/v1/taxonomy", () => TypedResults.Ok(new TaxonomyResponse(Taxonomy.Fields, Taxonomy.CooperationForms, Taxonomy.Trl)))
            .WithTags("Taxonomy").WithName("GetTaxonomy")
            .WithSummary("Fields, cooperation forms and the TRL scale in zh, ru, en · 分类体系 · Классификатор")
            .WithDescription("The codes that `field` and `cooperationForms` accept, each with its label in Chinese, Russian and English, and the technology readiness scale (TRL 1-9) with its labels. Open to anyone.");
        return routes;
    }

    public static async Task<Ok<IndexStatusResponse>> IndexStatus(ListingStore store, IListingIndex index, IndexOutbox outbox,
        ListingIndexer indexer, ConceptCatalog catalog, GlossaryStore glossary, Hosting.MarketplaceOptions options, ILoggerFactory loggers,
        CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(ct);
        long? documents = null;
        string? engineError = null;
        try
        {
            documents = await index.CountAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The status page reports the engine's failure; the log keeps the whole exception.
            LogEngineDoesNotAnswer(loggers.CreateLogger(typeof(AdminApi)), e);
            engineError = $"{e.GetType().Name}: {e.Message}";
        }
        return TypedResults.Ok(new IndexStatusResponse(options.Search.Provider, documents, engineError, await store.CountAsync(ct), backlog,
            await outbox.ParkedAsync(100, ct), indexer.RebuildState, catalog.Revision, await glossary.PendingChangeCountAsync(ct)));
    }

    public static async Task<Ok<ReindexResponse>> Reindex(ListingIndexer indexer, CancellationToken ct)
    {
        var outcome = await indexer.RebuildAsync(onlyIfStale: false, ct);
        return TypedResults.Ok(new ReindexResponse(outcome.Indexed, outcome.SetAside, Math.Round(outcome.Seconds, 3)));
    }

    /// <summary>No body retries every parked listing; a body names the ones to retry.</summary>
    public static async Task<Results<Ok<RetryParkedResponse>, ValidationProblem>> RetryParked(RetryParkedRequest? body, IndexOutbox outbox,
        ListingIndexer indexer, CancellationToken ct)
    {
        if (body is not null && RetryValidator.Validate(body) is { IsValid: false } invalid) return Http.Problems.Validation(invalid.ToDictionary());
        var requeued = await outbox.RetryParkedAsync(body?.ListingIds, ct);
        await indexer.DrainAsync(ct);
        return TypedResults.Ok(new RetryParkedResponse(requeued));
    }

    static readonly RetryParkedValidator RetryValidator = new();

    sealed class RetryParkedValidator : AbstractValidator<RetryParkedRequest>
    {
        public RetryParkedValidator()
        {
            RuleFor(x => x.ListingIds).NotEmpty().WithMessage(_ => Http.Messages.Get(Http.Messages.Required, "listingIds"))
                .Must(ids => ids!.Count <= 1000).WithMessage(_ => Http.Messages.Get(Http.Messages.TooMany, 1000));
            RuleForEach(x => x.ListingIds).NotEmpty().WithMessage(_ => Http.Messages.Get(Http.Messages.Empty))
                .MaximumLength(64).WithMessage(_ => Http.Messages.Get(Http.Messages.TooLong, 64))
                .NoControlCharacters();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Index status: the search engine does not answer")]
    static partial void LogEngineDoesNotAnswer(ILogger logger, Exception exception);
}
