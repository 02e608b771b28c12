namespace Marketplace.Api.Indexing;

public static partial class StartupIndexCheck
{
    /// <summary>
    /// The index is a copy of the database: rebuilt when the engine found none (missing, corrupt, of
    /// another format) or when it holds another number of listings than the database (parked ones
    /// aside); then what waits in the outbox is indexed. A listing that cannot be indexed is set aside
    /// (parked in the end), never a reason not to start.
    /// </summary>
    public static async Task EnsureAsync(ListingIndexer indexer, ILogger logger, CancellationToken ct)
    {
        if (await indexer.StalenessAsync(ct) is { } reason)
        {
            // A new install has nothing to rebuild: the index is simply created, and the log says so.
            if (await indexer.IsNewInstallAsync(ct)) LogCreating(logger);
            else LogRebuilding(logger, reason);
            await indexer.RebuildAsync(onlyIfStale: true, ct);
        }
        await indexer.DrainAsync(ct);
    }

    // Information, not a warning: a first start on an empty install rebuilds too, and nothing is wrong.
    [LoggerMessage(Level = LogLevel.Information, Message = "Building the search index from the database: {Reason}")]
    static partial void LogRebuilding(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the search index (no listings yet)")]
    static partial void LogCreating(ILogger logger);
}
