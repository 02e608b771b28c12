using System.Data.Common;
using Dapper;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Indexing;

/// <summary>
/// The index outbox table, SQL only. Every listing write enqueues (listing, version) in its own
/// transaction, so an acknowledged write is never lost to a failing engine or a crash. Replicas
/// claim due rows (FOR UPDATE SKIP LOCKED on PostgreSQL), so each row is worked on by one of them.
/// A row waits with exponential backoff after a failure; a listing the engine keeps refusing is
/// parked after <see cref="IndexingOptions.MaxRefusals"/> refusals and waits for an operator.
/// </summary>
public sealed class IndexOutbox(Db db, IndexingOptions options)
{
    // A claim outlives a slow batch but not a crashed replica for long.
    static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(60);
    static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>An outbox row a replica has claimed.</summary>
    public sealed class Claimed
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
            rows.Select(r => new { Id = NewId(), ListingId = r.Id, r.Version, now, due }),
            transaction, cancellationToken: ct));
    }

    static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// Queues listings for the background indexer, due now (a glossary change, writes made during a
    /// rebuild). A listing parked at its current version stays parked: it waits for an operator.
    /// </summary>
    public async Task EnqueueAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct)
    {
        foreach (var chunk in listingIds.Chunk(500))
        {
            await using var connection = await db.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var rows = await connection.QueryAsync<ListingRow>(new CommandDefinition(
                $"""
                SELECT id, version FROM listings l
                WHERE {db.InList("id", "ids")}
                  AND NOT EXISTS (SELECT 1 FROM index_outbox o WHERE o.listing_id = l.id AND o.parked_at IS NOT NULL AND o.version >= l.version)
                """, new { ids = chunk }, transaction, cancellationToken: ct));
            await EnqueueAsync(connection, transaction, rows, DateTimeOffset.UtcNow, ct);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Claims up to <paramref name="batch"/> due rows that no other replica holds; parked rows are not due.</summary>
    public async Task<IReadOnlyList<Claimed>> ClaimAsync(int batch, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var skipLocked = db.Provider == DbProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Claimed>(new CommandDefinition(
            $"""
            UPDATE index_outbox SET claimed_by = @owner, claimed_until = @until
            WHERE id IN (
                SELECT id FROM index_outbox
                WHERE parked_at IS NULL AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                ORDER BY id LIMIT @batch {skipLocked})
            RETURNING id, listing_id, version, attempts
            """,
            new { owner = _owner, until = now + ClaimFor, now, batch }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// The engine holds these versions: their rows (and older ones, parked or not) are done, and the
    /// listings say so; a published one is queued for match alerts in the same transaction.
    /// </summary>
    public async Task CompleteAsync(IReadOnlyCollection<(string Id, long Version)> indexed, CancellationToken ct)
    {
        if (indexed.Count == 0) return;
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Indexed, so matchable: published listings go on to the match alerts when anyone subscribed to them.
        var alerts = await Alerts.MatchOutbox.AnyoneSubscribedAsync(connection, transaction, ct);
        // Always in the same order, so two replicas completing the same listings cannot deadlock.
        foreach (var (id, version) in indexed.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM index_outbox WHERE listing_id = @id AND version <= @version", new { id, version }, transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE listings SET index_status = 'indexed' WHERE id = @id AND version = @version", new { id, version }, transaction,
                cancellationToken: ct));
            if (alerts) await Alerts.MatchOutbox.EnqueueAsync(connection, transaction, id, version, ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Removes claimed rows whose listing no longer exists: there is nothing to index.</summary>
    public async Task DropAsync(IReadOnlyCollection<Claimed> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM index_outbox WHERE {db.InList("id", "ids")} AND claimed_by = @owner",
            new { ids = rows.Select(c => c.Id).ToArray(), owner = _owner }, cancellationToken: ct));
    }

    /// <summary>The write path's attempt failed: its rows are due at once, so the indexer retries them without waiting out the grace.</summary>
    public async Task HandOverAsync(IReadOnlyCollection<string> listingIds, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE index_outbox SET next_attempt_at = @now WHERE {db.InList("listing_id", "ids")} AND attempts = 0 AND parked_at IS NULL",
            new { now = DateTimeOffset.UtcNow, ids = listingIds.Distinct().ToArray() }, cancellationToken: ct));
    }

    /// <summary>The engine could not take writes: the claimed rows wait (0.5 s, 1 s, 2 s, … up to a minute) and are never parked for it.</summary>
    public async Task RescheduleAsync(IReadOnlyList<Claimed> claimed, string error, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        foreach (var row in claimed)
        {
            // Quick recovery from a blip, no hammering of a dead engine.
            var delay = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(row.Attempts, 20))));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE index_outbox SET attempts = attempts + 1, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL,
                                        last_error = @error
                WHERE id = @Id
                """,
                new { row.Id, next = DateTimeOffset.UtcNow + delay, error = Shorten(error) }, cancellationToken: ct));
        }
    }

    /// <summary>
    /// The engine (or building its document) refused these listings at these versions: each waiting row
    /// of the version or an older one counts one more refusal, waits 2 s, 4 s, 8 s, … and is parked at
    /// its <see cref="IndexingOptions.MaxRefusals"/>th. A listing with no waiting row (a rebuild refused
    /// it) gets one, unless it is parked already: a parked listing stays parked until an operator retries it.
    /// </summary>
    public async Task RefuseAsync(IReadOnlyCollection<(string ListingId, long Version, string Reason)> refused, CancellationToken ct)
    {
        if (refused.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        foreach (var (listingId, version, reason) in refused)
        {
            var error = Shorten(reason);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var counted = (await connection.QueryAsync<(string Id, int Refusals)>(new CommandDefinition(
                """
                UPDATE index_outbox SET attempts = attempts + 1, refusals = refusals + 1, claimed_by = NULL, claimed_until = NULL, last_error = @error
                WHERE listing_id = @listingId AND version <= @version AND parked_at IS NULL
                RETURNING id, refusals
                """,
                new { listingId, version, error }, transaction, cancellationToken: ct))).ToList();
            if (counted.Count == 0
                && await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE index_outbox SET last_error = @error WHERE listing_id = @listingId AND parked_at IS NOT NULL",
                    new { listingId, error }, transaction, cancellationToken: ct)) == 0)
            {
                var id = NewId();
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO index_outbox (id, listing_id, version, enqueued_at, attempts, refusals, next_attempt_at, last_error)
                    VALUES (@id, @listingId, @version, @now, 1, 1, @now, @error)
                    """,
                    new { id, listingId, version, now, error }, transaction, cancellationToken: ct));
                counted.Add((id, 1));
            }
            if (counted.Count > 0)
            {
                // The listing, not each row, is refused: all its waiting rows wait as long as the most refused one, and are parked together.
                var refusals = counted.Max(c => c.Refusals);
                var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(refusals, 20))));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE index_outbox SET next_attempt_at = @next, parked_at = @parked WHERE listing_id = @listingId AND version <= @version AND parked_at IS NULL",
                    new { listingId, version, next = now + delay, parked = refusals >= options.MaxRefusals ? now : (DateTimeOffset?)null }, transaction,
                    cancellationToken: ct));
            }
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Parked listings due again now, their count of refusals reset: all of them, or those named.</summary>
    /// <returns>How many listings were taken out of the parking.</returns>
    public async Task<int> RetryParkedAsync(IReadOnlyCollection<string>? listingIds, CancellationToken ct)
    {
        var only = listingIds is { Count: > 0 };
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var filter = only ? $" AND {db.InList("listing_id", "ids")}" : "";
        var args = new { now = DateTimeOffset.UtcNow, ids = listingIds?.Distinct().ToArray() ?? [] };
        var listings = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(DISTINCT listing_id) FROM index_outbox WHERE parked_at IS NOT NULL{filter}", args, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE index_outbox SET parked_at = NULL, refusals = 0, attempts = 0, next_attempt_at = @now, claimed_by = NULL, claimed_until = NULL
            WHERE parked_at IS NOT NULL{filter}
            """, args, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return listings;
    }

    static string Shorten(string text) => text.Length > 500 ? text[..500] : text;

    /// <summary>What readiness reads, in two cheap queries: rows waiting, the oldest of them, and listings parked.</summary>
    public async Task<(long Pending, DateTimeOffset? Oldest, long Parked)> SummaryAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var waiting = await connection.QuerySingleAsync<(long Count, DateTimeOffset? Oldest)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(enqueued_at) FROM index_outbox WHERE parked_at IS NULL", cancellationToken: ct));
        var parked = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(DISTINCT listing_id) FROM index_outbox WHERE parked_at IS NOT NULL", cancellationToken: ct));
        return (waiting.Count, waiting.Oldest, parked);
    }

    public async Task<IndexBacklog> BacklogAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM index_outbox WHERE parked_at IS NULL", cancellationToken: ct));
        var oldest = await connection.QueryFirstOrDefaultAsync<OutboxHead>(new CommandDefinition(
            "SELECT enqueued_at, attempts, last_error FROM index_outbox WHERE parked_at IS NULL ORDER BY id LIMIT 1", cancellationToken: ct));
        var failing = await connection.QueryFirstOrDefaultAsync<OutboxHead>(new CommandDefinition(
            "SELECT enqueued_at, attempts, last_error FROM index_outbox WHERE parked_at IS NULL AND attempts > 0 ORDER BY attempts DESC, id LIMIT 1",
            cancellationToken: ct));
        var parked = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(DISTINCT listing_id) FROM index_outbox WHERE parked_at IS NOT NULL", cancellationToken: ct));
        return new IndexBacklog(pending, oldest?.EnqueuedAt, failing?.Attempts ?? 0, failing?.LastError, parked);
    }

    sealed class OutboxHead
    {
        public DateTimeOffset EnqueuedAt { get; set; }
        public int Attempts { get; set; }
        public string? LastError { get; set; }
    }

    /// <summary>The parked listings, oldest first, with why the engine refused them.</summary>
    public async Task<IReadOnlyList<ParkedListing>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<ParkedRow>(new CommandDefinition(
            """
            SELECT listing_id, MAX(version) AS version, MAX(refusals) AS refusals, MAX(last_error) AS last_error, MIN(parked_at) AS parked_at
            FROM index_outbox WHERE parked_at IS NOT NULL
            GROUP BY listing_id ORDER BY MIN(parked_at), listing_id LIMIT @limit
            """, new { limit }, cancellationToken: ct));
        return rows.Select(r => new ParkedListing(r.ListingId, r.Version, r.Refusals, r.LastError, r.ParkedAt)).ToList();
    }

    sealed class ParkedRow
    {
        public string ListingId { get; set; } = "";
        public long Version { get; set; }
        public int Refusals { get; set; }
        public string? LastError { get; set; }
        public DateTimeOffset ParkedAt { get; set; }
    }

    /// <summary>
    /// After a full rebuild from the database, the rows enqueued before it started are done, parked
    /// ones too: the rebuild indexed their listings' current versions. Listings it refused again
    /// (<paramref name="refusedAgain"/>) stay parked.
    /// </summary>
    public async Task ForgetUpToAsync(string? watermark, IReadOnlyCollection<string> refusedAgain, CancellationToken ct)
    {
        if (watermark is null) return;
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM index_outbox WHERE id <= @watermark AND (parked_at IS NULL OR NOT {db.InList("listing_id", "refused")})",
            new { watermark, refused = refusedAgain.ToArray() }, cancellationToken: ct));
    }

    /// <summary>Listings with a row in the outbox: written but not (yet) in the engine, or parked.</summary>
    public async Task<long> ListingsWaitingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(DISTINCT listing_id) FROM index_outbox", cancellationToken: ct));
    }

    /// <summary>Every listing without an outbox row is in the engine.</summary>
    public async Task MarkIndexedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listings SET index_status = 'indexed' WHERE index_status <> 'indexed' AND id NOT IN (SELECT listing_id FROM index_outbox)",
            cancellationToken: ct));
    }

    public async Task<string?> WatermarkAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT MAX(id) FROM index_outbox", cancellationToken: ct));
    }
}

/// <summary>How the indexer retries: <c>Marketplace:Indexing</c>.</summary>
public sealed class IndexingOptions
{
    /// <summary>A listing refused this many times in a row (about half a minute with the backoff) is parked.</summary>
    public int MaxRefusals { get; set; } = 5;
    /// <summary><c>/health/ready</c> reports degraded when a write has waited longer than this for the engine.</summary>
    public int MaxBacklogAgeSeconds { get; set; } = 120;
}
