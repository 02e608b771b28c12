using Marketplace.Api.Hosting;

namespace Marketplace.Api.Indexing;

/// <summary>
/// Drains the index outbox in the background: listings whose immediate indexing failed (engine
/// down, a refused document, a crash between commit and index) get into the engine as soon as it
/// takes them again, each row with its own backoff.
/// </summary>
public sealed partial class OutboxIndexer(ListingIndexer indexer, ILogger<OutboxIndexer> logger) : BackgroundService
{
    // Short enough that a listing is back within a second of the engine; each row's own backoff
    // keeps a dead engine from being hammered.
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.TickOrStopAsync(stoppingToken))
        {
            try
            {
                await indexer.ApplyPendingGlossaryChangesAsync(stoppingToken);
                var indexed = await indexer.DrainAsync(stoppingToken);
                if (indexed > 0) LogDrained(logger, indexed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database itself failed (the engine's failures are handled per row): the next tick tries again.
                LogDrainFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexer: {Count} outbox rows handled")]
    static partial void LogDrained(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Indexer: draining the outbox failed; retrying in a second")]
    static partial void LogDrainFailed(ILogger logger, Exception exception);
}
