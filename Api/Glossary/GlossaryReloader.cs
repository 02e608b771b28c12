using Marketplace.Api.Hosting;

namespace Marketplace.Api.Glossary;

/// <summary>
/// Keeps this replica's <see cref="ConceptCatalog"/> at the glossary's current revision: it polls the
/// revision row every <see cref="GlossaryOptions.ReloadSeconds"/> and reloads when another replica
/// (or a curator on this one) changed the glossary. A change thus reaches every replica within
/// seconds; the replica that made it reloads at once.
/// </summary>
public sealed partial class GlossaryReloader(GlossaryStore store, Lexicon.LexiconStore lexicon, ConceptCatalog catalog, GlossaryOptions options,
    ILogger<GlossaryReloader> logger)
    : BackgroundService
{
    readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>Loads the glossary when its revision is not the one the catalog holds.</summary>
    /// <returns>True when the catalog was reloaded.</returns>
    public async Task<bool> ReloadAsync(CancellationToken ct)
    {
        await _loading.WaitAsync(ct);
        try
        {
            var revision = await store.RevisionAsync(ct);
            if (revision == catalog.Revision) return false;
            // The glossary and the lexicon at one revision: read again if a change came in between.
            while (true)
            {
                var (concepts, _) = await store.ReadAllAsync(ct);
                var entries = await lexicon.ReadAllAsync(ct);
                var after = await store.RevisionAsync(ct);
                if (after != revision)
                {
                    revision = after;
                    continue;
                }
                catalog.Load(concepts, entries, revision);
                LogLoaded(logger, concepts.Count, entries.Count, revision);
                return true;
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.1, options.ReloadSeconds)));
        while (await timer.TickOrStopAsync(stoppingToken))
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReloadFailed(logger, e);
            }
        }
    }

    public override void Dispose()
    {
        _loading.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vocabulary loaded: {Concepts} glossary concepts and {Entries} lexicon entries at revision {Revision}")]
    static partial void LogLoaded(ILogger logger, int concepts, int entries, long revision);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading the glossary revision failed; this replica keeps its catalog and tries again")]
    static partial void LogReloadFailed(ILogger logger, Exception exception);
}

/// <summary><c>Marketplace:Glossary</c>.</summary>
public sealed class GlossaryOptions
{
    /// <summary>How often a replica checks whether the glossary changed (one indexed row read).</summary>
    public double ReloadSeconds { get; set; } = 2;
}
