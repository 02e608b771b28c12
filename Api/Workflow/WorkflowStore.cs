using System.Data.Common;
using System.Text.Json;
using Dapper;
using Marketplace.Api.Alerts;
using Marketplace.Api.Auth;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Workflow;

/// <summary>A row of <c>interests</c>.</summary>
public sealed class InterestRow
{
    public string Id { get; set; } = "";
    public string ListingId { get; set; } = "";
    public string OwnerOrganizationId { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string? OwnListingId { get; set; }
    public string Message { get; set; } = "";
    public string Status { get; set; } = "";
    public string? Reason { get; set; }
    public string? IntroductionId { get; set; }
    public string? IdempotencyKey { get; set; }
    public long Version { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? AnsweredBy { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    public string ETag => $"\"{Version}\"";

    public InterestResponse ToResponse() => new(Id, ListingId, OwnerOrganizationId, OrganizationId, OwnListingId,
        WorkflowJson.Read<LocalizedText>(Message)!, Status, WorkflowJson.Read<LocalizedText>(Reason), IntroductionId, Version, CreatedBy, CreatedAt,
        AnsweredBy, AnsweredAt);
}

/// <summary>A row of <c>introductions</c>.</summary>
public sealed class IntroductionRow
{
    public string Id { get; set; } = "";
    public string OwnerOrganizationId { get; set; } = "";
    public string ListingId { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string? OwnListingId { get; set; }
    public string? InterestId { get; set; }
    public string? RecommendationId { get; set; }
    public string Status { get; set; } = "";
    public string? Agreement { get; set; }
    public string? Reason { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string ETag => $"\"{Version}\"";
}

/// <summary>A row of <c>introduction_events</c>.</summary>
public sealed class IntroductionEventRow
{
    public string IntroductionId { get; set; } = "";
    public long Seq { get; set; }
    public string Status { get; set; } = "";
    public string ByOrganizationId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string? Note { get; set; }
}

static class WorkflowJson
{
    public static string? Write<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
    public static T? Read<T>(string? json) where T : class => json is null ? null : JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web);
}

/// <summary>Interests and introductions in the database: SQL only; every transition in one transaction with its history.</summary>
public sealed class WorkflowStore(Db db)
{
    const string InterestColumns = "id, listing_id, owner_organization_id, organization_id, own_listing_id, message, status, reason, introduction_id, idempotency_key, version, created_by, created_at, answered_by, answered_at";
    const string IntroductionColumns = "id, owner_organization_id, listing_id, organization_id, own_listing_id, interest_id, status, agreement, reason, version, created_at, updated_at, recommendation_id";

    /// <summary>
    /// Stores a new interest; with an idempotency key the organization used before, the interest it
    /// made then (<c>Replayed</c>), whatever this one says.
    /// </summary>
    public async Task<(InterestRow Row, bool Replayed)> AddInterestAsync(InterestRow row, ListingSummary listing, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            if (row.IdempotencyKey is not null && await connection.QuerySingleOrDefaultAsync<InterestRow>(new CommandDefinition(
                    $"SELECT {InterestColumns} FROM interests WHERE organization_id = @OrganizationId AND idempotency_key = @IdempotencyKey",
                    row, cancellationToken: ct)) is { } earlier)
                return (earlier, true);
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var stored = await connection.QuerySingleAsync<InterestRow>(new CommandDefinition(
                    $"""
                    INSERT INTO interests ({InterestColumns})
                    VALUES (@Id, @ListingId, @OwnerOrganizationId, @OrganizationId, @OwnListingId, @Message, @Status, NULL, NULL, @IdempotencyKey,
                            1, @CreatedBy, @CreatedAt, NULL, NULL)
                    RETURNING {InterestColumns}
                    """, row, transaction, cancellationToken: ct));
                await EventStore.AddAsync(connection, transaction,
                    [new(stored.OwnerOrganizationId, EventTypes.InterestReceived, new EventData(Listing: listing, Interest: stored.ToResponse()))], ct);
                await transaction.CommitAsync(ct);
                return (stored, false);
            }
            catch (DbException e) when (Db.IsUniqueViolation(e) && attempt < 2)
            {
                // The same key arrived twice at once: the next round reads the one that was stored.
            }
        }
    }

    public async Task<InterestRow?> FindInterestAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<InterestRow>(new CommandDefinition(
            $"SELECT {InterestColumns} FROM interests WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Interests received by (<paramref name="received"/>) or sent by these organizations (all when null), newest first.</summary>
    public async Task<(IReadOnlyList<InterestRow> Rows, long Total)> ListInterestsAsync(IReadOnlyCollection<string>? organizations, bool received,
        int offset, int limit, CancellationToken ct)
    {
        var column = received ? "owner_organization_id" : "organization_id";
        var where = organizations is null ? "1 = 1" : db.InList(column, "organizations");
        var parameters = new { organizations = organizations?.ToArray(), offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM interests WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<InterestRow>(new CommandDefinition(
            $"SELECT {InterestColumns} FROM interests WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            parameters, cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>
    /// The owner's answer to a pending interest at <paramref name="expectedVersion"/>; an acceptance opens
    /// the introduction and records its first state, all in one transaction. Null when the interest
    /// changed meanwhile.
    /// </summary>
    public async Task<InterestRow?> AnswerAsync(InterestRow interest, bool accept, LocalizedText? reason, string by, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var introductionId = accept ? ApiKeys.NewId("itr_") : null;
        var answered = await connection.QuerySingleOrDefaultAsync<InterestRow>(new CommandDefinition(
            $"""
            UPDATE interests SET status = @status, reason = @reason, introduction_id = @introductionId, answered_by = @by, answered_at = @now,
                version = version + 1
            WHERE id = @id AND version = @version AND status = 'pending'
            RETURNING {InterestColumns}
            """,
            new
            {
                id = interest.Id, version = interest.Version, status = accept ? InterestStatus.Accepted : InterestStatus.Declined,
                reason = WorkflowJson.Write(reason), introductionId, by, now,
            }, transaction, cancellationToken: ct));
        if (answered is null) return null;
        await EventStore.AddAsync(connection, transaction,
            [new(answered.OrganizationId, EventTypes.InterestAnswered, new EventData(Interest: answered.ToResponse()))], ct);
        if (introductionId is not null)
            await OpenIntroductionAsync(connection, transaction, new IntroductionRow
            {
                Id = introductionId, OwnerOrganizationId = answered.OwnerOrganizationId, ListingId = answered.ListingId,
                OrganizationId = answered.OrganizationId, OwnListingId = answered.OwnListingId, InterestId = answered.Id,
                CreatedAt = now, UpdatedAt = now,
            }, by, reason, ct);
        await transaction.CommitAsync(ct);
        return answered;
    }

    public async Task<(IntroductionRow Row, IReadOnlyList<IntroductionEventRow> History)?> FindIntroductionAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<IntroductionRow>(new CommandDefinition(
            $"SELECT {IntroductionColumns} FROM introductions WHERE id = @id", new { id }, cancellationToken: ct));
        if (row is null) return null;
        return (row, await HistoryAsync(connection, id, ct));
    }

    /// <summary>The introductions either side of which is one of these organizations (all when null), newest first.</summary>
    public async Task<(IReadOnlyList<IntroductionRow> Rows, long Total)> ListIntroductionsAsync(IReadOnlyCollection<string>? organizations,
        int offset, int limit, CancellationToken ct)
    {
        var where = organizations is null ? "1 = 1"
            : $"({db.InList("owner_organization_id", "organizations")} OR {db.InList("organization_id", "organizations")})";
        var parameters = new { organizations = organizations?.ToArray(), offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM introductions WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<IntroductionRow>(new CommandDefinition(
            $"SELECT {IntroductionColumns} FROM introductions WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset",
            parameters, cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>Moves an introduction from the state it was read in, with its history entry; null when it changed meanwhile.</summary>
    public async Task<IntroductionRow?> MoveAsync(IntroductionRow current, string status, AgreementTerms? agreement, LocalizedText? reason, string by,
        CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var moved = await connection.QuerySingleOrDefaultAsync<IntroductionRow>(new CommandDefinition(
            $"""
            UPDATE introductions SET status = @status, agreement = COALESCE(@agreement, agreement),
                reason = CASE WHEN @status = 'closed' THEN @reason ELSE reason END, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version AND status = @from
            RETURNING {IntroductionColumns}
            """,
            new { id = current.Id, version = current.Version, from = current.Status, status, agreement = WorkflowJson.Write(agreement), reason = WorkflowJson.Write(reason), now },
            transaction, cancellationToken: ct));
        if (moved is null) return null;
        await AddEventAsync(connection, transaction, current.Id, status, by, now, reason, ct);
        await TellBothSidesAsync(connection, transaction, moved, by, reason, ct);
        await transaction.CommitAsync(ct);
        return moved;
    }

    /// <summary>Whether an introduction joins one of <paramref name="organizations"/> with <paramref name="other"/>: then each sees the other's contact.</summary>
    public async Task<bool> IntroducedAsync(IReadOnlyCollection<string> organizations, string other, CancellationToken ct)
    {
        if (organizations.Count == 0) return false;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"""
            SELECT COUNT(*) FROM introductions
            WHERE (owner_organization_id = @other AND {db.InList("organization_id", "organizations")})
               OR (organization_id = @other AND {db.InList("owner_organization_id", "organizations")})
            """, new { other, organizations = organizations.ToArray() }, cancellationToken: ct)) > 0;
    }

    /// <summary>
    /// Opens an introduction (status introduced, version 1) with its first history entry, in the
    /// transaction of what opened it: an accepted interest or a recommendation both sides accepted.
    /// </summary>
    internal static async Task OpenIntroductionAsync(DbConnection connection, DbTransaction transaction, IntroductionRow row, string by,
        LocalizedText? note, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO introductions ({IntroductionColumns})
            VALUES (@Id, @OwnerOrganizationId, @ListingId, @OrganizationId, @OwnListingId, @InterestId, 'introduced', NULL, NULL, 1, @CreatedAt, @CreatedAt,
                    @RecommendationId)
            """, row, transaction, cancellationToken: ct));
        await AddEventAsync(connection, transaction, row.Id, IntroductionStatus.Introduced, by, row.CreatedAt, note, ct);
        row.Status = IntroductionStatus.Introduced;
        await TellBothSidesAsync(connection, transaction, row, by, note, ct);
    }

    /// <summary>introduction.changed for both sides of an introduction as it now stands.</summary>
    static Task TellBothSidesAsync(DbConnection connection, DbTransaction transaction, IntroductionRow row, string by, LocalizedText? note,
        CancellationToken ct)
    {
        var change = new EventData(Introduction: new IntroductionChange(row.Id, row.Status, row.OwnerOrganizationId, row.ListingId, row.OrganizationId,
            row.OwnListingId, by, WorkflowJson.Read<AgreementTerms>(row.Agreement), note));
        return EventStore.AddAsync(connection, transaction,
            [new(row.OwnerOrganizationId, EventTypes.IntroductionChanged, change), new(row.OrganizationId, EventTypes.IntroductionChanged, change)], ct);
    }

    public static async Task<IReadOnlyList<IntroductionEventRow>> HistoryAsync(DbConnection connection, string id, CancellationToken ct) =>
        (await connection.QueryAsync<IntroductionEventRow>(new CommandDefinition(
            "SELECT introduction_id, seq, status, by_organization_id, at, note FROM introduction_events WHERE introduction_id = @id ORDER BY seq",
            new { id }, cancellationToken: ct))).ToList();

    static Task AddEventAsync(DbConnection connection, DbTransaction transaction, string id, string status, string by, DateTimeOffset at,
        LocalizedText? note, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO introduction_events (introduction_id, seq, status, by_organization_id, at, note)
            VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM introduction_events WHERE introduction_id = @id), @status, @by, @at, @note)
            """, new { id, status, by, at, note = WorkflowJson.Write(note) }, transaction, cancellationToken: ct));
}
