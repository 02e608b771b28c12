using System.Data.Common;
using Dapper;
using Marketplace.Api.Storage;
using Marketplace.Search;

namespace Marketplace.Api.Listings;

/// <summary>
/// Writes listings to the database (the source of truth) and then to the search index. A row is
/// stored as <c>pending</c> in the same statement that changes it and marked <c>indexed</c> once
/// the engine has it, so a failed or interrupted index write is found again and retried.
/// </summary>
public sealed class ListingStore(Db db, IListingIndex index, Glossary.ConceptCatalog catalog, ILogger<ListingStore> logger)
{
    const string Columns = "id, kind, organization_id, external_ref, status, field, trl, country, body, version, index_status, created_at, updated_at";

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
            // Npgsql takes the array as one parameter; Dapper expands the list for SQLite.
            $"SELECT {Columns} FROM listings WHERE {(db.Provider == DbProvider.Postgres ? "id = ANY(@ids)" : "id IN @ids")}",
            new { ids = ids.ToArray() }, cancellationToken: ct))).ToDictionary(r => r.Id);
        return ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    public async Task<ListingRow?> FindByExternalRefAsync(ListingKind kind, string organizationId, string externalRef, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE organization_id = @organizationId AND kind = @kind AND external_ref = @externalRef",
            new { organizationId, kind = kind.Name, externalRef }, cancellationToken: ct));
    }

    public async Task<bool> OrganizationExistsAsync(string organizationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await Auth.OrganizationsApi.ExistsAsync(connection, organizationId, ct);
    }

    /// <summary>Creates a listing, or with a known <paramref name="externalRef"/> updates the stored one when its content changed.</summary>
    public async Task<(ListingRow Row, Outcome Outcome)> UpsertAsync(
        ListingKind kind, string organizationId, string? externalRef, ListingContent content, CancellationToken ct)
    {
        var body = content.ToJson();
        for (var attempt = 0; ; attempt++)
        {
            ListingRow row;
            Outcome outcome;
            await using (var connection = await db.OpenAsync(ct))
            {
                var existing = externalRef is null ? null : await FindByExternalRefAsync(kind, organizationId, externalRef, ct);
                if (existing is not null && existing.Body == body)
                    return (existing, Outcome.Unchanged);
                try
                {
                    if (existing is null)
                    {
                        row = await InsertAsync(connection, kind, organizationId, externalRef, content, body, ct);
                        outcome = Outcome.Created;
                    }
                    else
                    {
                        var updated = await UpdateAsync(connection, existing.Id, existing.Version, externalRef, content, body, ct);
                        if (updated is null) continue; // changed under us: read it again
                        row = updated;
                        outcome = Outcome.Updated;
                    }
                }
                catch (DbException e) when (Db.IsUniqueViolation(e) && attempt < 3)
                {
                    continue; // a concurrent create with the same externalRef won; update that one instead
                }
            }
            return (await IndexAsync(row, ct), outcome);
        }
    }

    /// <summary>
    /// Upserts many listings of one organization by externalRef in one transaction, then indexes them
    /// in one engine write: the bulk path (imports, evaluation), where a commit per listing would dominate.
    /// </summary>
    public async Task<IReadOnlyList<(ListingRow Row, Outcome Outcome)>> UpsertManyAsync(
        ListingKind kind, string organizationId, IReadOnlyList<(string ExternalRef, ListingContent Content)> items, CancellationToken ct)
    {
        var results = new List<(ListingRow Row, Outcome Outcome)>(items.Count);
        await using (var connection = await db.OpenAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            foreach (var (externalRef, content) in items)
            {
                var body = content.ToJson();
                var existing = await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
                    $"SELECT {Columns} FROM listings WHERE organization_id = @organizationId AND kind = @kind AND external_ref = @externalRef",
                    new { organizationId, kind = kind.Name, externalRef }, transaction, cancellationToken: ct));
                if (existing is not null && existing.Body == body) results.Add((existing, Outcome.Unchanged));
                else if (existing is null) results.Add((await InsertAsync(connection, kind, organizationId, externalRef, content, body, ct, transaction), Outcome.Created));
                else results.Add((await UpdateAsync(connection, existing.Id, existing.Version, externalRef, content, body, ct, transaction)
                                  ?? throw new InvalidOperationException("A listing changed inside its own transaction."), Outcome.Updated));
            }
            await transaction.CommitAsync(ct);
        }
        var changed = results.Where(r => r.Outcome != Outcome.Unchanged).Select(r => r.Row).ToList();
        if (changed.Count == 0) return results;
        try
        {
            await index.UpsertAsync(changed.Select(catalog.ToDocument).ToList(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Search engine refused a batch of {Count} listings; they stay pending", changed.Count);
            return results;
        }
        await MarkIndexedAsync(changed, ct);
        return results;
    }

    async Task MarkIndexedAsync(IReadOnlyList<ListingRow> rows, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        foreach (var row in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE listings SET index_status = 'indexed' WHERE id = @Id AND version = @Version", new { row.Id, row.Version },
                transaction, cancellationToken: ct));
            row.IndexStatus = "indexed";
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>Re-derives and re-indexes the given listings (their concepts changed with the glossary).</summary>
    public async Task<int> ReindexAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var done = 0;
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await FindManyAsync(chunk, ct);
            await index.UpsertAsync(rows.Select(catalog.ToDocument).ToList(), ct);
            done += rows.Count;
        }
        return done;
    }

    static Task<ListingRow> InsertAsync(DbConnection connection, ListingKind kind, string organizationId, string? externalRef,
        ListingContent content, string body, CancellationToken ct, DbTransaction? transaction = null)
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

    /// <summary>Replaces the content when the stored version is still <paramref name="expectedVersion"/>; null when it is not.</summary>
    public async Task<ListingRow?> ReplaceAsync(string id, long expectedVersion, string? externalRef, ListingContent content, CancellationToken ct)
    {
        ListingRow? row;
        await using (var connection = await db.OpenAsync(ct))
            row = await UpdateAsync(connection, id, expectedVersion, externalRef, content, content.ToJson(), ct);
        return row is null ? null : await IndexAsync(row, ct);
    }

    static Task<ListingRow?> UpdateAsync(DbConnection connection, string id, long expectedVersion, string? externalRef,
        ListingContent content, string body, CancellationToken ct, DbTransaction? transaction = null) =>
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

    /// <summary>
    /// Puts the row into the index and marks it indexed. When the engine fails the row stays
    /// pending: the write is kept and <see cref="Indexing.PendingIndexer"/> retries it.
    /// </summary>
    public async Task<ListingRow> IndexAsync(ListingRow row, CancellationToken ct)
    {
        try
        {
            await index.UpsertAsync([catalog.ToDocument(row)], ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Search engine refused listing {Id} v{Version}; it stays pending", row.Id, row.Version);
            return row;
        }
        await using var connection = await db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE listings SET index_status = 'indexed' WHERE id = @Id AND version = @Version", new { row.Id, row.Version }));
        row.IndexStatus = "indexed";
        return row;
    }

    /// <summary>Indexes up to <paramref name="batch"/> pending rows; returns how many were indexed.</summary>
    public async Task<int> IndexPendingAsync(int batch, CancellationToken ct)
    {
        IReadOnlyList<ListingRow> rows;
        await using (var connection = await db.OpenAsync(ct))
            rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
                $"SELECT {Columns} FROM listings WHERE index_status = 'pending' ORDER BY updated_at LIMIT @batch",
                new { batch }, cancellationToken: ct))).ToList();
        if (rows.Count == 0) return 0;
        await index.UpsertAsync(rows.Select(catalog.ToDocument).ToList(), ct);
        await MarkIndexedAsync(rows, ct);
        return rows.Count;
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM listings", cancellationToken: ct));
    }

    /// <summary>Rebuilds the whole index from the database, streaming rows so memory stays flat.</summary>
    public async Task<long> RebuildIndexAsync(CancellationToken ct)
    {
        var count = await index.RebuildAsync(AllDocumentsAsync(ct), ct);
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE listings SET index_status = 'indexed'", cancellationToken: ct));
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
