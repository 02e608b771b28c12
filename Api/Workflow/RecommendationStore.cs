using System.Data.Common;
using Dapper;
using Marketplace.Api.Alerts;
using Marketplace.Api.Auth;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Workflow;

/// <summary>A row of <c>recommendations</c>.</summary>
public sealed class RecommendationRow
{
    public string Id { get; set; } = "";
    public string AgencyId { get; set; } = "";
    public string NeedId { get; set; } = "";
    public string OfferId { get; set; } = "";
    public string NeedOrganizationId { get; set; } = "";
    public string OfferOrganizationId { get; set; } = "";
    public string? Note { get; set; }
    public double? Score { get; set; }
    public string? Explanation { get; set; }
    public string NeedAnswer { get; set; } = "";
    public string OfferAnswer { get; set; } = "";
    public string? NeedReason { get; set; }
    public string? OfferReason { get; set; }
    public string Status { get; set; } = "";
    public string? IntroductionId { get; set; }
    public string? IdempotencyKey { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string ETag => $"\"{Version}\"";

    public RecommendationResponse ToResponse() => new(Id, AgencyId, NeedId, OfferId, NeedOrganizationId, OfferOrganizationId,
        WorkflowJson.Read<LocalizedText>(Note), Score, WorkflowJson.Read<MatchExplanation>(Explanation), NeedAnswer, OfferAnswer,
        WorkflowJson.Read<LocalizedText>(NeedReason), WorkflowJson.Read<LocalizedText>(OfferReason), Status, IntroductionId, Version, CreatedAt, UpdatedAt);
}

/// <summary>Recommendations in the database: SQL only; an answer that completes one opens its introduction in the same transaction.</summary>
public sealed class RecommendationStore(Db db)
{
    const string Columns = "id, agency_id, need_id, offer_id, need_organization_id, offer_organization_id, note, score, explanation, need_answer, offer_answer, need_reason, offer_reason, status, introduction_id, idempotency_key, version, created_at, updated_at";

    /// <summary>
    /// Stores a new recommendation; with an idempotency key the agency used before, the one it made
    /// then (<c>Replayed</c>), whatever this one says.
    /// </summary>
    public async Task<(RecommendationRow Row, bool Replayed)> AddAsync(RecommendationRow row, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            if (row.IdempotencyKey is not null && await EarlierAsync(connection, row.AgencyId, row.IdempotencyKey, ct) is { } earlier) return (earlier, true);
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var stored = await connection.QuerySingleAsync<RecommendationRow>(new CommandDefinition(
                    $"""
                    INSERT INTO recommendations ({Columns})
                    VALUES (@Id, @AgencyId, @NeedId, @OfferId, @NeedOrganizationId, @OfferOrganizationId, @Note, @Score, @Explanation, 'pending', 'pending',
                            NULL, NULL, 'pending', NULL, @IdempotencyKey, 1, @CreatedAt, @CreatedAt)
                    RETURNING {Columns}
                    """, row, transaction, cancellationToken: ct));
                var received = new EventData(Recommendation: stored.ToResponse());
                await EventStore.AddAsync(connection, transaction,
                    [new(stored.NeedOrganizationId, EventTypes.RecommendationReceived, received),
                     new(stored.OfferOrganizationId, EventTypes.RecommendationReceived, received)], ct);
                await transaction.CommitAsync(ct);
                return (stored, false);
            }
            catch (DbException e) when (Db.IsUniqueViolation(e) && row.IdempotencyKey is not null && attempt < 2)
            {
                // The same key arrived twice at once: the next round reads the one stored first.
            }
        }
    }

    /// <summary>The recommendation an agency made with this idempotency key, if any.</summary>
    public async Task<RecommendationRow?> EarlierAsync(string agency, string key, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await EarlierAsync(connection, agency, key, ct);
    }

    static Task<RecommendationRow?> EarlierAsync(DbConnection connection, string agency, string key, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM recommendations WHERE agency_id = @agency AND idempotency_key = @key", new { agency, key }, cancellationToken: ct));

    public async Task<RecommendationRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM recommendations WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Those made by or addressed to one of these organizations (all when null), newest first.</summary>
    public async Task<(IReadOnlyList<RecommendationRow> Rows, long Total)> ListAsync(IReadOnlyCollection<string>? organizations, int offset, int limit,
        CancellationToken ct)
    {
        var where = organizations is null ? "1 = 1"
            : $"({db.InList("agency_id", "organizations")} OR {db.InList("need_organization_id", "organizations")} OR {db.InList("offer_organization_id", "organizations")})";
        var parameters = new { organizations = organizations?.ToArray(), offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM recommendations WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<RecommendationRow>(new CommandDefinition(
            $"SELECT {Columns} FROM recommendations WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", parameters,
            cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>
    /// One side's answer to the recommendation as read (<paramref name="current"/>); when it is the
    /// second acceptance the introduction opens (the offer's organization the owner side, as after an
    /// interest in the offer), in the same transaction. Null when the recommendation changed meanwhile.
    /// </summary>
    public async Task<RecommendationRow?> AnswerAsync(RecommendationRow current, string side, bool accept, LocalizedText? reason, string by,
        CancellationToken ct)
    {
        var answer = accept ? InterestStatus.Accepted : InterestStatus.Declined;
        var other = side == "need" ? current.OfferAnswer : current.NeedAnswer;
        var status = !accept ? InterestStatus.Declined : other == InterestStatus.Accepted ? InterestStatus.Accepted : InterestStatus.Pending;
        var now = DateTimeOffset.UtcNow;
        var introductionId = status == InterestStatus.Accepted ? ApiKeys.NewId("itr_") : null;
        var column = side == "need" ? "need" : "offer";
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var answered = await connection.QuerySingleOrDefaultAsync<RecommendationRow>(new CommandDefinition(
            $"""
            UPDATE recommendations SET {column}_answer = @answer, {column}_reason = @reason, status = @status, introduction_id = @introductionId,
                version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id = current.Id, version = current.Version, answer, reason = WorkflowJson.Write(reason), status, introductionId, now },
            transaction, cancellationToken: ct));
        if (answered is null) return null;
        if (introductionId is not null)
            await WorkflowStore.OpenIntroductionAsync(connection, transaction, new IntroductionRow
            {
                Id = introductionId, OwnerOrganizationId = current.OfferOrganizationId, ListingId = current.OfferId,
                OrganizationId = current.NeedOrganizationId, OwnListingId = current.NeedId, RecommendationId = current.Id, CreatedAt = now, UpdatedAt = now,
            }, by, WorkflowJson.Read<LocalizedText>(current.Note), ct);
        await transaction.CommitAsync(ct);
        return answered;
    }
}
