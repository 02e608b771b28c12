namespace Marketplace.Api.Indexing;

/// <summary>
/// Drains the index outbox in the background: listings whose immediate indexing failed (engine
/// down, crash between commit and index) get into the engine as soon as it takes them again.
/// </summary>
public sealed class OutboxIndexer(IndexOutbox outbox, ILogger<OutboxIndexer> logger) : BackgroundService
{
    // Short enough that a listing is back within a second of the engine; each row's own backoff
    // keeps a dead engine from being hammered.
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var indexed = await outbox.DrainAsync(stoppingToken);
                if (indexed > 0) logger.LogInformation("Indexer: {Count} outbox rows indexed", indexed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Indexer: the search engine refused a batch ({Error}); it will be retried", e.Message);
            }
        }
    }
}
