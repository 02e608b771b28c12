using System.Diagnostics;
using Marketplace.Api.Auth;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Admin;

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin").WithTags("Admin").RequireAuthorization(Policies.Admin);
        group.MapPost("/reindex", Reindex).WithName("Reindex")
            .WithSummary("Rebuild the search index from the database · 重建索引 · Перестроить индекс")
            .WithDescription("Searches keep answering from the old index until the new one is committed.");
        group.MapGet("/index-status", IndexStatus).WithName("IndexStatus")
            .WithSummary("The indexing backlog: writes not yet in the search engine · 索引积压 · Очередь индексации");

        routes.MapGet("/api/v1/taxonomy", () => TypedResults.Ok(new TaxonomyResponse(Taxonomy.Fields, Taxonomy.CooperationForms, Taxonomy.Trl)))
            .WithTags("Taxonomy").WithName("GetTaxonomy")
            .WithSummary("Fields, cooperation forms and the TRL scale in zh, ru, en · 分类体系 · Классификатор");
        return routes;
    }

    public static async Task<Ok<IndexStatusResponse>> IndexStatus(
        ListingStore store, Search.IListingIndex index, Indexing.IndexOutbox outbox, Hosting.MarketplaceOptions options, CancellationToken ct)
    {
        var backlog = await outbox.BacklogAsync(ct);
        long documents;
        try
        {
            documents = await index.CountAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            documents = -1; // the engine does not answer; the backlog says what waits for it
        }
        return TypedResults.Ok(new IndexStatusResponse(options.Search.Provider, documents, await store.CountAsync(ct), backlog));
    }

    public static async Task<Ok<ReindexResponse>> Reindex(ListingStore store, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var count = await store.RebuildIndexAsync(ct);
        return TypedResults.Ok(new ReindexResponse(count, Math.Round(watch.Elapsed.TotalSeconds, 3)));
    }
}
