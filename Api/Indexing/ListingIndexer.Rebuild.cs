using System.Diagnostics;
using System.Runtime.CompilerServices;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Search;

namespace Marketplace.Api.Indexing;

// Rebuilding the whole index from the database: once at a time per replica, one replica at a time.
public sealed partial class ListingIndexer
{
    /// <summary>
    /// Writes made while a rebuild runs go to the old index (Elasticsearch) and are sent again after
    /// it. A minute of margin covers bulk transactions already open when it began and replicas whose
    /// clocks run behind; re-sending a listing that needed none costs one write.
    /// </summary>
    static readonly TimeSpan RebuildMargin = TimeSpan.FromMinutes(1);

    readonly Lock _rebuildGate = new();
    Task<RebuildOutcome>? _rebuild;
    RebuildStatus _rebuildStatus = new(false, null, null, null, null);

    public RebuildStatus RebuildState => _rebuildStatus;

    /// <summary>
    /// Rebuilds the whole index from the database, or joins the rebuild already running. It runs on
    /// the host's lifetime: a caller that stops waiting (<paramref name="wait"/>) does not stop it.
    /// Replicas take turns (<see cref="Db.LockAsync"/>); with <paramref name="onlyIfStale"/> a replica
    /// whose turn comes after another's rebuild finds the index current and does nothing.
    /// </summary>
    public Task<RebuildOutcome> RebuildAsync(bool onlyIfStale, CancellationToken wait)
    {
        Task<RebuildOutcome> running;
        lock (_rebuildGate) running = _rebuild ??= Task.Run(() => RunRebuildAsync(onlyIfStale, lifetime.ApplicationStopping));
        return running.WaitAsync(wait);
    }

    /// <summary>
    /// Why the index is not a copy of the database, or null when it is: no usable index, or a count of
    /// documents no consistent index could have. Every listing without an outbox row is in the index;
    /// one with a row (written but not yet indexed, or parked) may or may not be.
    /// </summary>
    public async Task<string?> StalenessAsync(CancellationToken ct)
    {
        if (await index.NeedsRebuildAsync(ct)) return $"no usable index of format {IndexFormat.Version} was found";
        var inIndex = await index.CountAsync(ct);
        var listings = await store.CountAsync(ct);
        var waiting = await outbox.ListingsWaitingAsync(ct);
        return inIndex >= listings - waiting && inIndex <= listings
            ? null
            : $"it holds {inIndex} listings where the database has {listings}, {waiting} of them waiting to be indexed";
    }

    /// <summary>True when the engine has no index and the database no listings: a first start.</summary>
    public async Task<bool> IsNewInstallAsync(CancellationToken ct) =>
        await index.NeedsRebuildAsync(ct) && await store.CountAsync(ct) == 0;

    async Task<RebuildOutcome> RunRebuildAsync(bool onlyIfStale, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var previous = _rebuildStatus;
        var started = DateTimeOffset.UtcNow;
        _rebuildStatus = _rebuildStatus with { Running = true, StartedAt = started };
        try
        {
            await using var turn = await db.LockAsync(Db.RebuildLock, ct);
            if (onlyIfStale && await StalenessAsync(ct) is null)
            {
                _rebuildStatus = previous;
                return new RebuildOutcome(0, 0, watch.Elapsed.TotalSeconds, Skipped: true);
            }

            await glossary.ReloadAsync(ct);
            var watermark = await outbox.WatermarkAsync(ct);
            var since = started - RebuildMargin;
            var unreadable = new List<(ListingRow Row, string Reason)>();
            var write = await index.RebuildAsync(Documents(unreadable, ct), ct);

            // Rows enqueued before the rebuild began are covered by it; whatever it could not index waits alone, and is parked in the end.
            var refusedByEngine = write.Refused.ToDictionary(r => r.Id, r => r.Reason);
            var refused = unreadable.Select(u => (u.Row.Id, u.Row.Version, u.Reason))
                .Concat((await store.FindManyAsync(refusedByEngine.Keys.ToList(), ct)).Select(r => (r.Id, r.Version, refusedByEngine[r.Id])))
                .ToList();
            await outbox.ForgetUpToAsync(watermark, refused.Select(r => r.Id).ToList(), ct);
            await outbox.RefuseAsync(refused, ct);
            // Elasticsearch takes writes into the old index while the new one is built: whatever changed
            // since the rebuild began is queued again so that the new index has it too.
            var changed = await store.ChangedSinceAsync(since, ct);
            if (changed.Count > 0) await outbox.EnqueueAsync(changed, ct);
            await outbox.MarkIndexedAsync(ct);
            if (changed.Count > 0) await DrainAsync(ct);
            LogRebuilt(logger, write.Indexed, refused.Count, watch.Elapsed.TotalSeconds);
            _rebuildStatus = new RebuildStatus(false, started, DateTimeOffset.UtcNow, write.Indexed, null);
            return new RebuildOutcome(write.Indexed, refused.Count, watch.Elapsed.TotalSeconds, Skipped: false);
        }
        catch (Exception e)
        {
            LogRebuildFailed(logger, e);
            _rebuildStatus = new RebuildStatus(false, started, DateTimeOffset.UtcNow, null, Describe(e));
            throw;
        }
        finally
        {
            lock (_rebuildGate) _rebuild = null;
        }
    }

    /// <summary>Every listing's document, streamed from the database; a row whose document cannot be built is set aside.</summary>
    async IAsyncEnumerable<ListingDocument> Documents(List<(ListingRow Row, string Reason)> unreadable, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var row in store.ReadAllAsync(ct))
        {
            ListingDocument document;
            try
            {
                document = Document(row);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDocumentFailed(logger, row.Id, row.Version, e);
                unreadable.Add((row, Describe(e)));
                continue;
            }
            yield return document;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index rebuilt: {Count} listings indexed, {Refused} set aside, in {Seconds:F1} s")]
    static partial void LogRebuilt(ILogger logger, long count, int refused, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rebuilding the search index failed; the engine keeps the index it had")]
    static partial void LogRebuildFailed(ILogger logger, Exception exception);
}

/// <param name="Indexed">Listings the new index holds.</param>
/// <param name="SetAside">Listings it could not take: each waits alone in the outbox and is parked if refused again.</param>
/// <param name="Skipped">Another replica had just rebuilt the index, so this one did not.</param>
public sealed record RebuildOutcome(long Indexed, int SetAside, double Seconds, bool Skipped);
