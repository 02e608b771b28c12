using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Marketplace.Api.Indexing;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Listings;

/// <summary>
/// Listings in the database, the source of truth: SQL only. Each write commits together with its
/// index outbox row, so no acknowledged write can be lost on its way to the engine; the caller then
/// hands the changed rows to <see cref="ListingIndexer"/>.
/// </summary>
public sealed class ListingStore(Db db, Hosting.MarketplaceOptions? options = null)
{
    public const string Columns = "id, kind, organization_id, external_ref, status, field, trl, country, body, ranking, version, index_status, created_at, updated_at, expires_at, review, published_at";

    /// <summary>How long a listing stays published before it expires (unless renewed).</summary>
    public TimeSpan Lifetime { get; } = TimeSpan.FromDays((options ?? new Hosting.MarketplaceOptions()).Listings.LifetimeDays);

    /// <summary>Whether a listing published by anyone but a reviewer waits for review (<c>Marketplace:Review:Required</c>).</summary>
    public bool ReviewRequired { get; } = options?.Review.Required ?? false;

    /// <summary>
    /// The status a write stores: the one asked for, except that where review is required a listing
    /// published by anyone but a reviewer of its organization is submitted for review instead. The body
    /// keeps the status asked for, so sending the same listing again still changes nothing.
    /// </summary>
    public string StatusFor(ListingContent content, bool byReviewer) =>
        content.Status == ListingStatus.Published && ReviewRequired && !byReviewer ? ListingStatus.Submitted : content.Status;

    public enum Outcome { Created, Updated, Unchanged }

    public async Task<ListingRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The rows of these ids that exist, in the order of <paramref name="ids"/>.</summary>
    public async Task<IReadOnlyList<ListingRow>> FindManyAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE {db.InList("id", "ids")}", new { ids = ids.Distinct().ToArray() }, cancellationToken: ct)))
            .ToDictionary(r => r.Id);
        return ids.Distinct().Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    /// <summary>
    /// The rows of these ids that exist, in the order of <paramref name="ids"/>, without their bodies
    /// unless their ranking facts must be read from them (<see cref="ListingRow.RankingFacts"/>): a
    /// match ranks 30 candidates and shows 10, and reading 30 bodies was a sixth of its time.
    /// </summary>
    public async Task<IReadOnlyList<ListingRow>> FindForRankingAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns.Replace(" body,", "")} FROM listings WHERE {db.InList("id", "ids")}", new { ids = ids.Distinct().ToArray() },
            cancellationToken: ct))).ToDictionary(r => r.Id);
        if (rows.Values.Where(r => !r.HasCurrentRankingFacts).Select(r => r.Id).ToList() is { Count: > 0 } stale)
            foreach (var row in await FindManyAsync(stale, ct)) rows[row.Id] = row;
        return ids.Distinct().Where(rows.ContainsKey).Select(id => rows[id]).ToList();
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
        ListingKind kind, string organizationId, string? externalRef, ListingContent content, bool byReviewer, CancellationToken ct) =>
        (await UpsertManyAsync(kind, organizationId, [(externalRef, content)], byReviewer, ct)).Results[0];

    /// <summary>
    /// Upserts listings of one organization by externalRef in one transaction, with an outbox row for
    /// each changed one. A concurrent create of the same externalRef makes the unique index refuse
    /// ours; the batch is then read again and retried. <c>Changed</c> is what the indexer must take.
    /// <paramref name="byReviewer"/>: the caller reviews this organization's listings (see <see cref="StatusFor"/>).
    /// </summary>
    public async Task<(IReadOnlyList<(ListingRow Row, Outcome Outcome)> Results, IReadOnlyList<ListingRow> Changed)> UpsertManyAsync(
        ListingKind kind, string organizationId, IReadOnlyList<(string? ExternalRef, ListingContent Content)> items, bool byReviewer,
        CancellationToken ct)
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
                            done.Add((await InsertAsync(connection, transaction, kind, organizationId, externalRef, content, body,
                                StatusFor(content, byReviewer), Lifetime, ct), Outcome.Created));
                        else
                            done.Add((await UpdateAsync(connection, transaction, existing.Id, existing.Version, externalRef, content, body,
                                          StatusFor(content, byReviewer), Lifetime, ct)
                                      ?? throw new InvalidOperationException("A listing changed inside its own transaction."), Outcome.Updated));
                    }
                    IReadOnlyList<ListingRow> changed = done.Where(d => d.Outcome != Outcome.Unchanged).Select(d => d.Row).ToList();
                    return ((Results: (IReadOnlyList<(ListingRow, Outcome)>)done, Changed: changed), changed);
                }, ct);
            }
            catch (DbException e) when (Db.IsUniqueViolation(e) && attempt < 3)
            {
                // Another request created one of these externalRefs first: the next attempt updates it instead.
            }
        }
    }

    /// <summary>Replaces the content when the stored version is still <paramref name="expectedVersion"/>; null when it is not.</summary>
    public Task<ListingRow?> ReplaceAsync(string id, long expectedVersion, string? externalRef, ListingContent content, bool byReviewer,
        CancellationToken ct) =>
        CommitAsync(async (connection, transaction) =>
        {
            var row = await UpdateAsync(connection, transaction, id, expectedVersion, externalRef, content, content.ToJson(),
                StatusFor(content, byReviewer), Lifetime, ct);
            return (row, row is null ? [] : (IReadOnlyList<ListingRow>)[row]);
        }, ct);

    /// <summary>One transaction for the change and the outbox rows of the listings it wrote.</summary>
    async Task<T> CommitAsync<T>(Func<DbConnection, DbTransaction, Task<(T Result, IReadOnlyList<ListingRow> Written)>> change, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var (result, written) = await change(connection, transaction);
        await IndexOutbox.EnqueueAsync(connection, transaction, written, ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    static Task<ListingRow> InsertAsync(DbConnection connection, DbTransaction transaction, ListingKind kind, string organizationId,
        string? externalRef, ListingContent content, string body, string status, TimeSpan lifetime, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        return connection.QuerySingleAsync<ListingRow>(new CommandDefinition(
            $"""
            INSERT INTO listings ({Columns})
            VALUES (@id, @kind, @organizationId, @externalRef, @status, @field, @trl, @country, @body, @ranking, 1, 'pending', @now, @now,
                    CASE WHEN @status = 'published' THEN @expiresAt ELSE NULL END, NULL,
                    CASE WHEN @status = 'published' THEN @now ELSE NULL END)
            RETURNING {Columns}
            """,
            new
            {
                id = kind.IdPrefix + Guid.CreateVersion7().ToString("N"), kind = kind.Name, organizationId, externalRef,
                status, field = content.Field, trl = content.Trl, country = content.Country, body,
                ranking = RankingFacts.Of(content).ToJson(), now, expiresAt = now + lifetime,
            }, transaction, cancellationToken: ct));
    }

    static Task<ListingRow?> UpdateAsync(DbConnection connection, DbTransaction transaction, string id, long expectedVersion,
        string? externalRef, ListingContent content, string body, string status, TimeSpan lifetime, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
            $"""
            UPDATE listings
            SET external_ref = COALESCE(@externalRef, external_ref), status = @status, field = @field, trl = @trl,
                country = @country, body = @body, ranking = @ranking, version = version + 1, index_status = 'pending', updated_at = @now,
                -- Made published: a new lifetime; kept published: its own; not published: none.
                expires_at = CASE WHEN @status <> 'published' THEN NULL
                                  WHEN status = 'published' THEN COALESCE(expires_at, @expiresAt)
                                  ELSE @expiresAt END,
                published_at = CASE WHEN published_at IS NULL AND @status = 'published' THEN @now ELSE published_at END
            WHERE id = @id AND version = @expectedVersion
            RETURNING {Columns}
            """,
            new
            {
                id, expectedVersion, externalRef, status, field = content.Field, trl = content.Trl,
                country = content.Country, body, ranking = RankingFacts.Of(content).ToJson(), now = DateTimeOffset.UtcNow,
                expiresAt = DateTimeOffset.UtcNow + lifetime,
            }, transaction, cancellationToken: ct));

    /// <summary>
    /// Starts a new lifetime for a published or expired listing at <paramref name="expectedVersion"/>
    /// (an expired one is published again), with its outbox row; null when the version moved on.
    /// </summary>
    public Task<ListingRow?> RenewAsync(string id, long expectedVersion, CancellationToken ct) =>
        CommitAsync(async (connection, transaction) =>
        {
            var now = DateTimeOffset.UtcNow;
            var row = await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
                $"""
                UPDATE listings SET status = 'published', expires_at = @expiresAt, version = version + 1, index_status = 'pending', updated_at = @now
                WHERE id = @id AND version = @expectedVersion AND status IN ('published', 'expired')
                RETURNING {Columns}
                """, new { id, expectedVersion, now, expiresAt = now + Lifetime }, transaction, cancellationToken: ct));
            return (row, row is null ? [] : (IReadOnlyList<ListingRow>)[row]);
        }, ct);

    /// <summary>
    /// A reviewer's decision on a submitted listing at <paramref name="expectedVersion"/>: published (with
    /// a lifetime from now) or rejected, the review kept beside it, with its outbox row; null when the
    /// version moved on or the listing is no longer submitted.
    /// </summary>
    public Task<ListingRow?> ReviewAsync(string id, long expectedVersion, ListingReview review, CancellationToken ct) =>
        CommitAsync(async (connection, transaction) =>
        {
            var now = review.ReviewedAt;
            var row = await connection.QuerySingleOrDefaultAsync<ListingRow>(new CommandDefinition(
                $"""
                UPDATE listings SET status = @status, review = @review, version = version + 1, index_status = 'pending', updated_at = @now,
                    expires_at = CASE WHEN @status = 'published' THEN @expiresAt ELSE NULL END,
                    published_at = CASE WHEN published_at IS NULL AND @status = 'published' THEN @now ELSE published_at END
                WHERE id = @id AND version = @expectedVersion AND status = 'submitted'
                RETURNING {Columns}
                """,
                new { id, expectedVersion, status = review.Decision, review = ListingReviews.ToJson(review), now, expiresAt = now + Lifetime },
                transaction, cancellationToken: ct));
            if (row is not null)
                await Alerts.EventStore.AddAsync(connection, transaction,
                    [new(row.OrganizationId, EventTypes.ListingReviewed, new EventData(Listing: row.ToSummary(), Review: review))], ct);
            return (row, row is null ? [] : (IReadOnlyList<ListingRow>)[row]);
        }, ct);

    /// <summary>
    /// The review queue: submitted listings, longest waiting first, of these organizations (all when
    /// null), of one kind or both; one page and the total.
    /// </summary>
    public async Task<(IReadOnlyList<ListingRow> Rows, long Total)> SubmittedAsync(IReadOnlyCollection<string>? organizations, string? kind,
        int offset, int limit, CancellationToken ct)
    {
        var where = "status = 'submitted'"
                    + (kind is null ? "" : " AND kind = @kind")
                    + (organizations is null ? "" : $" AND {db.InList("organization_id", "organizations")}");
        var parameters = new { kind, organizations = organizations?.ToArray(), offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM listings WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
            $"SELECT {Columns} FROM listings WHERE {where} ORDER BY updated_at, id LIMIT @limit OFFSET @offset", parameters, cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>
    /// The expiry sweep: published listings past their lifetime become <c>expired</c> (with their outbox
    /// rows, in one transaction); published listings without one (older than the column) get a full
    /// lifetime from now. Idempotent, and safe on several replicas at once: each statement only touches
    /// rows still in the state it changes.
    /// </summary>
    public Task<IReadOnlyList<ListingRow>> ExpireAsync(DateTimeOffset now, CancellationToken ct) =>
        CommitAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE listings SET expires_at = @expiresAt WHERE status = 'published' AND expires_at IS NULL",
                new { expiresAt = now + Lifetime }, transaction, cancellationToken: ct));
            var expired = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
                $"""
                UPDATE listings SET status = 'expired', version = version + 1, index_status = 'pending', updated_at = @now
                WHERE status = 'published' AND expires_at <= @now
                RETURNING {Columns}
                """, new { now }, transaction, cancellationToken: ct))).ToList();
            return ((IReadOnlyList<ListingRow>)expired, (IReadOnlyList<ListingRow>)expired);
        }, ct);

    /// <summary>
    /// listing.expiring for published listings that expire within <paramref name="days"/>: once per expiry
    /// date, at most 500 a sweep, the event written with the mark. Safe on several replicas at once: the
    /// mark is checked again on the row each statement updates.
    /// </summary>
    public async Task<int> NoticeExpiringAsync(DateTimeOffset now, int days, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        const string NotNoticed = "(expiry_noticed_at IS NULL OR expiry_noticed_at <> expires_at)";
        var soon = (await connection.QueryAsync<ListingRow>(new CommandDefinition(
            $"""
            UPDATE listings SET expiry_noticed_at = expires_at
            WHERE {NotNoticed} AND status = 'published' AND id IN (
                SELECT id FROM listings
                WHERE status = 'published' AND expires_at > @now AND expires_at <= @soon AND {NotNoticed}
                ORDER BY expires_at LIMIT 500)
            RETURNING {Columns}
            """, new { now, soon = now.AddDays(days) }, transaction, cancellationToken: ct))).ToList();
        await Alerts.EventStore.AddAsync(connection, transaction, soon.Select(r =>
            new Alerts.NewEvent(r.OrganizationId, EventTypes.ListingExpiring, new EventData(Listing: r.ToSummary(), ExpiresAt: r.ExpiresAt))), ct);
        await transaction.CommitAsync(ct);
        return soon.Count;
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM listings", cancellationToken: ct));
    }

    /// <summary>Every listing, streamed (a rebuild reads them all and memory stays flat).</summary>
    public async IAsyncEnumerable<ListingRow> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"SELECT {Columns} FROM listings", cancellationToken: ct));
        var parse = reader.GetRowParser<ListingRow>();
        while (await reader.ReadAsync(ct)) yield return parse(reader);
    }

    /// <summary>Ids of the listings written at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<string>> ChangedSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM listings WHERE updated_at >= @since", new { since }, cancellationToken: ct))).ToList();
    }
}
