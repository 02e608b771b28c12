using System.Data.Common;
using Dapper;
using Marketplace.Api.Glossary;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Search;

namespace Marketplace.Api.Indexing;

/// <summary>
/// The index outbox. Every listing write enqueues (listing, version) in its own transaction, so an
/// acknowledged write is never lost to a failing engine or a crash. The write path then indexes at
/// once (so the listing is searchable before its answer); whatever that could not do, replicas
/// drain in the background, each claiming rows the others skip (FOR UPDATE SKIP LOCKED on
/// PostgreSQL). The engine always gets the listing's current row, and engines refuse a version
/// older than the one they hold, so nothing is indexed out of order.
/// </summary>
public sealed class IndexOutbox(Db db, IListingIndex index, ConceptCatalog catalog, ILogger<IndexOutbox> logger)
{
    // A claim outlives a slow batch but not a crashed replica for long.
    static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(60);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    // Classes with setters: Dapper converts SQLite's integers and text timestamps into them.
    sealed class Claimed
    {
        public string Id { get; set; } = "";
        public string ListingId { get; set; } = "";
        public long Version { get; set; }
        public int Attempts { get; set; }
    }

    /// <summary>
    /// How long the background indexer leaves a write path's rows to the write path's own attempt.
    /// Without it the indexer (every second) took rows a bulk import was about to index, and the
    /// same listings were analysed twice. A failed attempt makes its rows due at once; after a
    /// crash they are due when this has passed.
    /// </summary>
    public static readonly TimeSpan WritePathGrace = TimeSpan.FromSeconds(10);

    /// <summary>Queues rows in the write's transaction; the write path indexes them itself right after the commit.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ListingRow> rows, CancellationToken ct) =>
        EnqueueAsync(connection, transaction, rows, DateTimeOffset.UtcNow + WritePathGrace, ct);

    /// <summary>Queues rows that the background indexer may take from <paramref name="due"/> on.</summary>
    public static Task EnqueueAsync(DbConnection connection, DbTransaction transaction, IEnumerable<ListingRow> rows, DateTimeOffset due,
        CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO index_outbox (id, listing_id, version, enqueued_at, attempts, next_attempt_at)
            VALUES (@Id, @ListingId, @Version, @now, 0, @due)
            """,
            rows.Select(r => new { Id = Guid.CreateVersion7().ToString("N"), ListingId = r.Id, r.Version, now, due }),
            transaction, cancellationToken: ct));
    }

    /// <summary>The write path's attempt: index these rows now; on failure they stay in the outbox.</summary>
    public async Task TryIndexNowAsync(IReadOnlyList<ListingRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        try
        {
            await index.UpsertAsync(rows.Select(catalog.ToDocument).ToList(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Search engine refused {Count} listing(s); the outbox keeps them for the indexer", rows.Count);
            await HandOverAsync(rows);
            return;
        }
        await CompleteAsync(rows.Select(r => (r.Id, r.Version)).ToList(), CancellationToken.None);
        foreach (var row in rows) row.IndexStatus = "indexed";
    }

    /// <summary>Makes the rows of a failed write-path attempt due now, so the indexer retries them without waiting out the grace.</summary>
    async Task HandOverAsync(IReadOnlyList<ListingRow> rows)
    {
        try
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE index_outbox SET next_attempt_at = @now WHERE {db.InList("listing_id", "ids")} AND attempts = 0",
                new { now = DateTimeOffset.UtcNow, ids = rows.Select(r => r.Id).Distinct().ToArray() }));
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            logger.LogWarning("The outbox rows of {Count} listing(s) wait out the grace of {Grace}: {Error}", rows.Count, WritePathGrace, e.Message);
        }
    }

    /// <summary>Claims due rows, indexes the current state of their listings, and completes or reschedules them.</summary>
    /// <returns>How many outbox rows were handled; 0 when none was due.</returns>
    public async Task<int> DrainOnceAsync(int batch, CancellationToken ct)
    {
        var claimed = await ClaimAsync(batch, ct);
        if (claimed.Count == 0) return 0;
        IReadOnlyList<ListingRow> rows;
        await using (var connection = await db.OpenAsync(ct))
            rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
                $"SELECT {ListingStore.Columns} FROM listings WHERE {db.InList("id", "ids")}",
                new { ids = claimed.Select(c => c.ListingId).Distinct().ToArray() }, cancellationToken: ct))).ToList();
        try
        {
            await index.UpsertAsync(rows.Select(catalog.ToDocument).ToList(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RescheduleAsync(claimed, e, ct);
            throw;
        }
        await CompleteAsync(rows.Select(r => (r.Id, r.Version)).ToList(), ct);
        // Rows of listings that no longer exist have nothing to index.
        await using (var connection = await db.OpenAsync(ct))
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM index_outbox WHERE {db.InList("id", "ids")} AND claimed_by = @owner",
                new { ids = claimed.Select(c => c.Id).ToArray(), owner = _owner }, cancellationToken: ct));
        return claimed.Count;
    }

    async Task<IReadOnlyList<Claimed>> ClaimAsync(int batch, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var skipLocked = db.Provider == DbProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Claimed>(new CommandDefinition(
            $"""
            UPDATE index_outbox SET claimed_by = @owner, claimed_until = @until
            WHERE id IN (
                SELECT id FROM index_outbox
                WHERE next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                ORDER BY id LIMIT @batch {skipLocked})
            RETURNING id, listing_id, version, attempts
            """,
            new { owner = _owner, until = now + ClaimFor, now, batch }, cancellationToken: ct))).ToList();
    }

    async Task CompleteAsync(IReadOnlyList<(string Id, long Version)> indexed, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var (id, version) in indexed)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM index_outbox WHERE listing_id = @id AND version <= @version", new { id, version }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE listings SET index_status = 'indexed' WHERE id = @id AND version = @version", new { id, version }, transaction,
                cancellationToken: ct));
        }
        await transaction.CommitAsync(ct);
    }

    async Task RescheduleAsync(IReadOnlyList<Claimed> claimed, Exception error, CancellationToken ct)
    {
        var message = $"{error.GetType().Name}: {error.Message}";
        message = message.Length > 500 ? message[..500] : message;
        await using var connection = await db.OpenAsync(CancellationToken.None);
        foreach (var row in claimed)
        {
            // 0.5 s, 1 s, 2 s, ... up to a minute: quick recovery from a blip, no hammering of a dead engine.
            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, row.Attempts)));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE index_outbox SET attempts = attempts + 1, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL,
                                        last_error = @error
                WHERE id = @Id
                """,
                new { row.Id, next = DateTimeOffset.UtcNow + delay, error = message }));
        }
    }

    /// <summary>Queues every listing for indexing (after a glossary change): durable, then drained.</summary>
    public async Task EnqueueAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct)
    {
        foreach (var chunk in listingIds.Chunk(500))
        {
            await using var connection = await db.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var rows = await connection.QueryAsync<ListingRow>(new CommandDefinition(
                $"SELECT {ListingStore.Columns} FROM listings WHERE {db.InList("id", "ids")}", new { ids = chunk }, transaction, cancellationToken: ct));
            await EnqueueAsync(connection, transaction, rows, DateTimeOffset.UtcNow, ct);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Drains everything that is due; stops at the first engine failure (the rows are rescheduled).</summary>
    public async Task<int> DrainAsync(CancellationToken ct)
    {
        var total = 0;
        int handled;
        while ((handled = await DrainOnceAsync(500, ct)) > 0) total += handled;
        return total;
    }

    public async Task<IndexBacklog> BacklogAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM index_outbox", cancellationToken: ct));
        var oldest = await connection.QueryFirstOrDefaultAsync<OutboxHead>(new CommandDefinition(
            "SELECT enqueued_at, attempts, last_error FROM index_outbox ORDER BY id LIMIT 1", cancellationToken: ct));
        var failing = await connection.QueryFirstOrDefaultAsync<OutboxHead>(new CommandDefinition(
            "SELECT enqueued_at, attempts, last_error FROM index_outbox WHERE attempts > 0 ORDER BY attempts DESC, id LIMIT 1", cancellationToken: ct));
        return new IndexBacklog(pending, oldest?.EnqueuedAt, failing?.Attempts ?? 0, failing?.LastError);
    }

    sealed class OutboxHead
    {
        public DateTimeOffset EnqueuedAt { get; set; }
        public int Attempts { get; set; }
        public string? LastError { get; set; }
    }

    /// <summary>After a full rebuild from the database, the rows enqueued before it started are done.</summary>
    public async Task ForgetUpToAsync(string? watermark, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (watermark is not null)
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM index_outbox WHERE id <= @watermark", new { watermark }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listings SET index_status = 'indexed' WHERE id NOT IN (SELECT listing_id FROM index_outbox)", cancellationToken: ct));
    }

    public async Task<string?> WatermarkAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(id) FROM index_outbox", cancellationToken: ct));
    }
}
