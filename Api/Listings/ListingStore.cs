using System.Data.Common;
using Dapper;
using Marketplace.Api.Indexing;
using Marketplace.Api.Storage;
using Marketplace.Search;

namespace Marketplace.Api.Listings;

/// <summary>
/// Listings in the database, the source of truth. Each write commits together with its outbox row
/// (<see cref="IndexOutbox"/>) and is then indexed at once; if the engine fails the write still
/// stands, answers <c>pending</c>, and the indexer retries it.
/// </summary>
public sealed class ListingStore(Db db, IListingIndex index, IndexOutbox outbox, Glossary.ConceptCatalog catalog)
{
    public const string Columns = "id, kind, organization_id, external_ref, status, field, trl, country, body, version, index_status, created_at, updated_at";

    public enum Outcome { Created, Updated, Unchanged }

    public async Task<ListingRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ListingRow>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE {db.InList("id", "ids")}", new { ids = ids.ToArray() }, cancellationToken: ct)))
            .ToDictionary(r => r.Id);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    public async Task<ListingRow?> FindByExternalRefAsync(ListingKind kind, string organizationId, string externalRef, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindByExternalRefAsync(connection, null, kind, organizationId, externalRef, ct);
    }

    static Task<ListingRow?> FindByExternalRefAsync(DbConnection connection, DbTransaction? transaction, ListingKind kind,
        string organizationId, string externalRef, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE organization_id = @organizationId AND kind = @kind AND external_ref = @externalRef",
            new { organizationId, kind = kind.Name, externalRef }, transaction, cancellationToken: ct));

    public async Task<bool> OrganizationExistsAsync(string organizationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await Auth.OrganizationsApi.ExistsAsync(connection, organizationId, ct);
    }

    /// <summary>Creates a listing, or with a known <paramref name="externalRef"/> updates the stored one when its content changed.</summary>
    public async Task<(ListingRow Row, Outcome Outcome)> UpsertAsync(
        ListingKind kind, string organizationId, string? externalRef, ListingContent content, CancellationToken ct)
    {
        var results = await UpsertManyAsync(kind, organizationId, [(externalRef, content)], ct);
        return results[0];
    }

    /// <summary>
    /// Upserts listings of one organization by externalRef in one transaction (with their outbox
    /// rows), then indexes them in one engine write. A concurrent create of the same externalRef
    /// makes the unique index refuse ours; the batch is then read again and retried.
    /// </summary>
    public async Task<IReadOnlyList<(ListingRow Row, Outcome Outcome)>> UpsertManyAsync(
        ListingKind kind, string organizationId, IReadOnlyList<(string? ExternalRef, ListingContent Content)> items, CancellationToken ct)
    {
        var (results, changed) = await StoreManyAsync(kind, organizationId, items, ct);
        await outbox.TryIndexNowAsync(changed, ct);
        return results;
    }

    /// <summary>
    /// The database half of <see cref="UpsertManyAsync"/>: committed with outbox rows, not yet indexed.
    /// The bulk path indexes one batch while it stores the next.
    /// </summary>
    public async Task<(IReadOnlyList<(ListingRow Row, Outcome Outcome)> Results, List<ListingRow> Changed)> StoreManyAsync(
        ListingKind kind, string organizationId, IReadOnlyList<(string? ExternalRef, ListingContent Content)> items, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await CommitAsync(async (connection, transaction) =>
                {
                    var done = new List<(ListingRow Row, Outcome Outcome)>(items.Count);
                    foreach (var (externalRef, content) in items)
                    {
                        var body = content.ToJson();
                        var existing = externalRef is null ? null
                            : await FindByExternalRefAsync(connection, transaction, kind, organizationId, externalRef, ct);
                        if (existing is not null && existing.Body == body) done.Add((existing, Outcome.Unchanged));
                        else if (existing is null)
                            done.Add((await InsertAsync(connection, transaction, kind, organizationId, externalRef, content, body, ct), Outcome.Created));
                        else
                            done.Add((await UpdateAsync(connection, transaction, existing.Id, existing.Version, externalRef, content, body, ct)
                                      ?? throw new InvalidOperationException("A listing changed inside its own transaction."), Outcome.Updated));
                    }
                    return ((IReadOnlyList<(ListingRow, Outcome)>)done, done.Where(d => d.Outcome != Outcome.Unchanged).Select(d => d.Row).ToList());
                }, ct);
            }
            catch (DbException e) when (Db.IsUniqueViolation(e) && attempt < 3)
            {
                // Another request created one of these externalRefs first: the next attempt updates it instead.
            }
        }
    }

    /// <summary>Replaces the content when the stored version is still <paramref name="expectedVersion"/>; null when it is not.</summary>
    public async Task<ListingRow?> ReplaceAsync(string id, long expectedVersion, string? externalRef, ListingContent content, CancellationToken ct)
    {
        var rows = await WriteAsync(async (connection, transaction) =>
        {
            var row = await UpdateAsync(connection, transaction, id, expectedVersion, externalRef, content, content.ToJson(), ct);
            return (row, row is null ? [] : new List<ListingRow> { row });
        }, ct);
        return rows;
    }

    /// <summary>One transaction for the change and its outbox rows; then the immediate indexing attempt.</summary>
    async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<(T Result, List<ListingRow> Changed)>> change, CancellationToken ct)
    {
        var (result, changed) = await CommitAsync(change, ct);
        await outbox.TryIndexNowAsync(changed, ct);
        return result;
    }

    async Task<(T Result, List<ListingRow> Changed)> CommitAsync<T>(
        Func<DbConnection, DbTransaction, Task<(T Result, List<ListingRow> Changed)>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (result, changed) = await change(connection, transaction);
        await IndexOutbox.EnqueueAsync(connection, transaction, changed, ct);
        await transaction.CommitAsync(ct);
        return (result, changed);
    }

    static Task<ListingRow> InsertAsync(DbConnection connection, DbTransaction transaction, ListingKind kind, string organizationId,
        string? externalRef, ListingContent content, string body, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return connection.QuerySingleAsync<ListingRow>(new CommandDefinition(
            $"""
            INSERT INTO listings ({Columns})
            VALUES (@id, @kind, @organizationId, @externalRef, @status, @field, @trl, @country, @body, 1, 'pending', @now, @now)
            RETURNING {Columns}
            """,
            new
            {
                id = kind.IdPrefix + Guid.CreateVersion7().ToString("N"), kind = kind.Name, organizationId, externalRef,
                status = content.Status, field = content.Field, trl = content.Trl, country = content.Country, body, now,
            }, transaction, cancellationToken: ct));
    }

    static Task<ListingRow?> UpdateAsync(DbConnection connection, DbTransaction transaction, string id, long expectedVersion,
        string? externalRef, ListingContent content, string body, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"""
            UPDATE listings
            SET external_ref = COALESCE(@externalRef, external_ref), status = @status, field = @field, trl = @trl,
                country = @country, body = @body, version = version + 1, index_status = 'pending', updated_at = @now
            WHERE id = @id AND version = @expectedVersion
            RETURNING {Columns}
            """,
            new
            {
                id, expectedVersion, externalRef, status = content.Status, field = content.Field, trl = content.Trl,
                country = content.Country, body, now = DateTimeOffset.UtcNow,
            }, transaction, cancellationToken: ct));

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM listings", cancellationToken: ct));
    }

    /// <summary>
    /// Rebuilds the whole index from the database, streaming rows so memory stays flat. Outbox rows
    /// enqueued before the rebuild began are covered by it; later ones stay for the indexer.
    /// </summary>
    public async Task<long> RebuildIndexAsync(CancellationToken ct)
    {
        var watermark = await outbox.WatermarkAsync(ct);
        // A second of margin for clocks and commits in flight.
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var count = await index.RebuildAsync(AllDocumentsAsync(ct), ct);
        await outbox.ForgetUpToAsync(watermark, ct);
        // Elasticsearch takes writes into the old index while the new one is built; whatever changed
        // since the rebuild began is queued again so that the new index has it too.
        List<string> changed;
        await using (var connection = await db.OpenAsync(ct))
            changed = (await connection.QueryAsync<string>(new CommandDefinition(
                "SELECT id FROM listings WHERE updated_at >= @started", new { started }, cancellationToken: ct))).ToList();
        if (changed.Count > 0)
        {
            await outbox.EnqueueAsync(changed, ct);
            await outbox.DrainAsync(ct);
        }
        return count;
    }

    async IAsyncEnumerable<ListingDocument> AllDocumentsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"SELECT {Columns} FROM listings", cancellationToken: ct));
        var parse = reader.GetRowParser<ListingRow>();
        while (await reader.ReadAsync(ct)) yield return catalog.ToDocument(parse(reader));
    }
}
