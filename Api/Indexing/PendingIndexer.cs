using Marketplace.Api.Listings;

namespace Marketplace.Api.Indexing;

/// <summary>
/// Retries listings whose index write failed (engine down, crash between commit and index):
/// they stay <c>pending</c> in the database until this loop gets them into the engine.
/// </summary>
public sealed class PendingIndexer(ListingStore store, ILogger<PendingIndexer> logger) : BackgroundService
{
    // Long enough not to hammer an engine that is down, short enough that a listing is back in seconds.
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                int indexed;
                while ((indexed = await store.IndexPendingAsync(500, stoppingToken)) > 0)
                    logger.LogInformation("Indexed {Count} pending listings", indexed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Pending listings could not be indexed yet; retrying in {Interval}", Interval);
            }
        }
    }
}
