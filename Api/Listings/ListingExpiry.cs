using Marketplace.Api.Hosting;
using Marketplace.Api.Indexing;

namespace Marketplace.Api.Listings;

/// <summary>
/// The expiry sweep: every <c>Marketplace:Listings:SweepSeconds</c>, published listings past their
/// lifetime become expired and leave search and matching; those expiring within
/// <c>Marketplace:Listings:ExpiringNoticeDays</c> are announced to their organization (listing.expiring). Every replica runs it; the store's
/// statements make running it twice, or on two replicas at once, change nothing more.
/// </summary>
public sealed partial class ListingExpiry(ListingStore store, ListingIndexer indexer, MarketplaceOptions options, ILogger<ListingExpiry> logger)
    : BackgroundService
{
    /// <summary>One sweep at <paramref name="now"/>; the listings it expired.</summary>
    public async Task<IReadOnlyList<ListingRow>> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await store.NoticeExpiringAsync(now, options.Listings.ExpiringNoticeDays, ct);
        var expired = await store.ExpireAsync(now, ct);
        if (expired.Count == 0) return expired;
        LogExpired(logger, expired.Count);
        // Queued with the change; indexed now, or by the background indexer if the engine is away.
        await indexer.IndexNowAsync(expired);
        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.Listings.SweepSeconds)));
        while (await timer.TickOrStopAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(DateTimeOffset.UtcNow, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expiry: {Count} listings expired")]
    static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry: the sweep failed; it runs again at the next tick")]
    static partial void LogSweepFailed(ILogger logger, Exception exception);
}
