using Marketplace.Api.Listings;
using Marketplace.Search;

namespace Marketplace.Api.Indexing;

public static class StartupIndexCheck
{
    /// <summary>
    /// The index is a copy of the database: rebuilt when the engine found none (missing or corrupt)
    /// or when it holds another number of listings than the database; pending rows are retried.
    /// </summary>
    public static async Task EnsureAsync(IListingIndex index, ListingStore store, IndexOutbox outbox, ILogger logger, CancellationToken ct)
    {
        var inDatabase = await store.CountAsync(ct);
        var inIndex = await index.CountAsync(ct);
        if (index.NeedsRebuild || inIndex != inDatabase)
        {
            logger.LogWarning("Rebuilding the search index: {Reason}",
                index.NeedsRebuild ? $"no usable index of format {IndexFormat.Version} was found" : $"it holds {inIndex} listings, the database {inDatabase}");
            var count = await store.RebuildIndexAsync(ct);
            logger.LogInformation("Search index rebuilt with {Count} listings", count);
            return;
        }
        try
        {
            await outbox.DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("The search engine refused the outbox backlog at start ({Error}); the indexer retries", e.Message);
        }
    }
}
