using System.Diagnostics;
using System.Runtime.CompilerServices;
using Marketplace.Api.Glossary;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Search;

namespace Marketplace.Api.Indexing;

/// <summary>
/// The one way into the search engine: turns listing rows into documents (texts and the glossary's
/// concepts) and sends them, then settles their outbox rows. A listing that cannot be indexed never
/// holds back the others: its document is built and sent alone, refused alone, retried alone with
/// backoff and parked in the end. An engine that cannot take writes leaves every row waiting.
/// </summary>
public sealed partial class ListingIndexer(
    IListingIndex index, ConceptCatalog catalog, GlossaryReloader glossary, GlossaryStore glossaryStore, IndexOutbox outbox, ListingStore store,
    Db db, IndexingHealth health,
    IHostApplicationLifetime lifetime, ILogger<ListingIndexer> logger)
{
    /// <summary>
    /// How long a write waits for the engine before it answers <c>pending</c> and leaves the rest to
    /// the background indexer: as long as an Elasticsearch request may take, shorter than a rebuild
    /// of a large index, which holds the embedded engine's writer.
    /// </summary>
    static readonly TimeSpan WritePathTimeout = TimeSpan.FromSeconds(30);

    ListingDocument Document(ListingRow row) => Document(row, catalog);

    /// <summary>What the engine holds of a listing: its texts, filters, and the concepts the glossary finds in it.</summary>
    public static ListingDocument Document(ListingRow row, ConceptCatalog catalog)
    {
        var content = row.Content;
        return new ListingDocument(row.Id, row.Kind, row.OrganizationId, row.Status, content.Field, content.Trl, content.Country,
            content.CooperationForms, content.Texts(), row.UpdatedAt, catalog.ConceptsOf(content), row.Version);
    }

    /// <summary>
    /// The write path, right after the commit: the rows go into the engine now, so that the listing is
    /// searchable when the write answers. Runs on the host's lifetime, not the request's: a client that
    /// goes away does not leave its committed write half indexed. On failure the rows stay in the
    /// outbox (<c>pending</c>) for the background indexer; nothing is thrown.
    /// </summary>
    /// <summary>A write of at least this many listings at once is a bulk import's batch.</summary>
    const int BulkRows = 100;

    /// <summary>When this replica last indexed a bulk import's batch: background work that can wait (match alerts) gives way meanwhile.</summary>
    public DateTimeOffset LastBulkWrite { get; private set; } = DateTimeOffset.MinValue;

    public async Task IndexNowAsync(IReadOnlyList<ListingRow> rows)
    {
        if (rows.Count == 0) return;
        if (rows.Count >= BulkRows) LastBulkWrite = DateTimeOffset.UtcNow;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        timeout.CancelAfter(WritePathTimeout);
        try
        {
            var sent = await SendAsync(rows, timeout.Token);
            if (sent.EngineError is { } error)
            {
                LogWritePathDeferred(logger, rows.Count, error);
                await outbox.HandOverAsync(rows.Select(r => r.Id).ToList(), CancellationToken.None);
                return;
            }
            await SettleAsync(sent, CancellationToken.None);
            foreach (var row in rows.Where(r => sent.Indexed.Contains(r.Id))) row.IndexStatus = "indexed";
        }
        catch (Exception e)
        {
            // The write is committed and its outbox rows with it: whatever failed here (a timeout, the
            // host stopping, the database busy), the answer is "pending" and the background indexer
            // takes the rows when their grace has passed. Never an error for a write that is stored.
            LogWritePathFailed(logger, rows.Count, e);
        }
    }

    /// <summary>Claims due outbox rows and indexes the current state of their listings.</summary>
    /// <returns>How many outbox rows were handled; 0 when none was due or the engine could not take them.</returns>
    public async Task<int> DrainOnceAsync(int batch, CancellationToken ct)
    {
        var claimed = await outbox.ClaimAsync(batch, ct);
        if (claimed.Count == 0) return 0;
        var rows = await store.FindManyAsync(claimed.Select(c => c.ListingId).ToList(), ct);
        var existing = rows.Select(r => r.Id).ToHashSet();
        await outbox.DropAsync(claimed.Where(c => !existing.Contains(c.ListingId)).ToList(), ct);
        var sent = await SendAsync(rows, ct);
        if (sent.EngineError is { } error)
        {
            await outbox.RescheduleAsync(claimed, $"{error.GetType().Name}: {error.Message}", CancellationToken.None);
            LogEngineRefusedBatch(logger, claimed.Count, error);
            return 0;
        }
        await SettleAsync(sent, ct);
        return claimed.Count;
    }

    /// <summary>Everything that is due, batch after batch; stops when nothing is due or the engine cannot take writes.</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var total = 0;
        int handled;
        while ((handled = await DrainOnceAsync(500, ct)) > 0) total += handled;
        return total;
    }

    sealed record Sent(IReadOnlyList<ListingRow> Rows, HashSet<string> Indexed, List<(ListingRow Row, string Reason)> Refused, Exception? EngineError);

    async Task SettleAsync(Sent sent, CancellationToken ct)
    {
        await outbox.CompleteAsync(sent.Rows.Where(r => sent.Indexed.Contains(r.Id)).Select(r => (r.Id, r.Version)).ToList(), ct);
        await outbox.RefuseAsync(sent.Refused.Select(r => (r.Row.Id, r.Row.Version, r.Reason)).ToList(), ct);
    }

    /// <summary>
    /// Builds each row's document and sends them in one write. When that write fails for a reason
    /// other than the engine being unavailable, the documents are sent one by one, so that the one at
    /// fault is found and the others get in.
    /// </summary>
    async Task<Sent> SendAsync(IReadOnlyList<ListingRow> rows, CancellationToken ct)
    {
        // Another replica may have changed the glossary since this one last looked (it polls every few
        // seconds): documents are built with the current one, or the change would miss the listings it queued.
        await glossary.ReloadAsync(ct);
        var refused = new List<(ListingRow Row, string Reason)>();
        var documents = new List<(ListingRow Row, ListingDocument Document)>(rows.Count);
        foreach (var row in rows)
        {
            // A row whose stored body cannot be read or indexed is that row's fault alone.
            try
            {
                documents.Add((row, Document(row)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDocumentFailed(logger, row.Id, row.Version, e);
                refused.Add((row, Describe(e)));
            }
        }
        var indexed = new HashSet<string>();
        if (documents.Count == 0) return new Sent(rows, indexed, refused, null);
        try
        {
            Take(await index.UpsertAsync(documents.Select(d => d.Document).ToList(), ct), documents);
        }
        catch (SearchEngineUnavailableException e)
        {
            health.WriteFailed(e);
            return new Sent(rows, [], [], e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the engine being away: one of the documents is at fault. One by one, the others get in.
            LogBatchFailed(logger, documents.Count, e);
            foreach (var one in documents)
            {
                try
                {
                    Take(await index.UpsertAsync([one.Document], ct), [one]);
                }
                catch (SearchEngineUnavailableException unavailable)
                {
                    health.WriteFailed(unavailable);
                    return new Sent(rows, [], [], unavailable);
                }
                catch (Exception alone) when (alone is not OperationCanceledException)
                {
                    LogDocumentFailed(logger, one.Row.Id, one.Row.Version, alone);
                    refused.Add((one.Row, Describe(alone)));
                }
            }
        }
        health.WriteSucceeded();
        return new Sent(rows, indexed, refused, null);

        void Take(IndexWrite write, IReadOnlyList<(ListingRow Row, ListingDocument Document)> sent)
        {
            var refusedIds = write.Refused.ToDictionary(r => r.Id, r => r.Reason);
            foreach (var (row, _) in sent)
            {
                if (refusedIds.TryGetValue(row.Id, out var reason))
                {
                    LogEngineRefusedDocument(logger, row.Id, row.Version, reason);
                    refused.Add((row, reason));
                }
                else indexed.Add(row.Id);
            }
        }
    }

    static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Queues the listings a glossary change touches (those that carried the concept, and those that
    /// mention one of its names, old or new) and indexes them now, on the host's lifetime. The change
    /// was recorded with the glossary write: until its listings are queued it stays recorded, and the
    /// background indexer tries again (<see cref="ApplyPendingGlossaryChangesAsync"/>), so a client gone,
    /// an engine away or a crash cannot lose it.
    /// </summary>
    /// <returns>How many listings were queued; null when the engine cannot be asked now (the change waits).</returns>
    public async Task<int?> ApplyGlossaryChangeAsync(string changeId)
    {
        var ct = lifetime.ApplicationStopping;
        var count = 0;
        try
        {
            foreach (var change in await glossaryStore.PendingChangesAsync(changeId, ct)) count += await ApplyAsync(change, ct);
        }
        catch (SearchEngineUnavailableException e)
        {
            LogGlossaryChangeWaits(logger, changeId, e);
            return null;
        }
        try
        {
            await DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Queued durably; the background indexer indexes them.
            LogDrainAfterChangeFailed(logger, e);
        }
        return count;
    }

    /// <summary>
    /// How long a glossary change is left to the request that made it: that request queues its listings
    /// and answers how many (<c>listingsReindexed</c>); the background indexer taking the change first
    /// would leave it nothing to count.
    /// </summary>
    internal static readonly TimeSpan GlossaryChangeGrace = TimeSpan.FromSeconds(10);

    /// <summary>Glossary changes whose listings are not queued yet (the engine was away, the replica that made them stopped).</summary>
    public async Task ApplyPendingGlossaryChangesAsync(CancellationToken ct)
    {
        try
        {
            var left = DateTimeOffset.UtcNow - GlossaryChangeGrace;
            foreach (var change in await glossaryStore.PendingChangesAsync(null, ct))
                if (change.CreatedAt <= left) await ApplyAsync(change, ct);
        }
        catch (SearchEngineUnavailableException)
        {
            // The engine is away: the changes wait, and index-status counts them.
        }
    }

    async Task<int> ApplyAsync(GlossaryStore.Change change, CancellationToken ct)
    {
        var ids = await index.FindMentionsAsync(change.ConceptId, change.Phrases, ct);
        await outbox.EnqueueAsync(ids, ct);
        await glossaryStore.ForgetChangeAsync(change.Id, ct);
        LogConceptReindexed(logger, change.ConceptId, ids.Count);
        return ids.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing the listings a glossary change queued failed here; the background indexer takes them")]
    static partial void LogDrainAfterChangeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Glossary change {ChangeId} waits for the search engine; the background indexer queues its listings later")]
    static partial void LogGlossaryChangeWaits(ILogger logger, string changeId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Glossary concept {ConceptId} changed; {Count} listings queued for re-indexing")]
    static partial void LogConceptReindexed(ILogger logger, string conceptId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search engine unavailable; {Count} listing write(s) stay in the outbox for the background indexer")]
    static partial void LogWritePathDeferred(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing {Count} stored listing(s) right away failed; the outbox keeps them for the background indexer")]
    static partial void LogWritePathFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search engine unavailable; {Count} outbox row(s) rescheduled with backoff")]
    static partial void LogEngineRefusedBatch(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write of {Count} documents failed; sending them one by one to find the one at fault")]
    static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Listing {ListingId} version {Version} cannot be indexed")]
    static partial void LogDocumentFailed(ILogger logger, string listingId, long version, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The search engine refused listing {ListingId} version {Version}: {Reason}")]
    static partial void LogEngineRefusedDocument(ILogger logger, string listingId, long version, string reason);
}
