using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Alerts;

/// <summary>A row of <c>webhooks</c>.</summary>
public sealed class WebhookRow
{
    public string Id { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public string? Types { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    public string? DisabledReason { get; set; }
    public long Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string ETag => $"\"{Version}\"";

    /// <summary>The endpoint as its owner reads it; the secret only where it was just made.</summary>
    public WebhookResponse ToResponse(bool withSecret = false) => new(Id, OrganizationId, Url,
        Types is null ? null : JsonSerializer.Deserialize<List<string>>(Types), Description, DisabledAt is null, DisabledReason, FailingSince,
        withSecret ? Secret : null, Version, CreatedAt, UpdatedAt);
}

/// <summary>A row of <c>deliveries</c> with its event's type.</summary>
public sealed class DeliveryRow
{
    public string Id { get; set; } = "";
    public string WebhookId { get; set; } = "";
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string Status { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    public DeliveryResponse ToResponse(IReadOnlyList<DeliveryAttempt>? attempts = null) => new(Id, WebhookId, EventId, EventType, Status, Attempts,
        Status == DeliveryStatus.Pending ? NextAttemptAt : null, LastStatusCode, LastError, CreatedAt, DeliveredAt, attempts);
}

/// <summary>A claimed delivery with what sending it takes.</summary>
public sealed class Outgoing
{
    public string Id { get; set; } = "";
    public string WebhookId { get; set; } = "";
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string EventId { get; set; } = "";
    public string EventType { get; set; } = "";
    public string OrganizationId { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Data { get; set; } = "";
    public DateTimeOffset? FailingSince { get; set; }
}

/// <summary>Webhook endpoints and their deliveries in the database: SQL only.</summary>
public sealed class WebhookStore(Db db)
{
    const string Columns = "id, organization_id, url, secret, types, description, failing_since, disabled_at, disabled_reason, version, created_at, updated_at";
    const string DeliveryColumns = "d.id, d.webhook_id, d.event_id, e.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.last_status_code, d.last_error, d.created_at, d.delivered_at";
    // A claim outlives a slow receiver (the timeout is seconds) but not a crashed replica for long.
    static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(60);
    readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A new signing secret in the Standard Webhooks form: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    static string? TypesJson(IReadOnlyList<string>? types) => types is null ? null : JsonSerializer.Serialize(types.Distinct().Order(StringComparer.Ordinal));

    public async Task<WebhookRow> AddAsync(string organizationId, string url, IReadOnlyList<string>? types, string? description, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<WebhookRow>(new CommandDefinition(
            $"""
            INSERT INTO webhooks ({Columns})
            VALUES (@id, @organizationId, @url, @secret, @types, @description, NULL, NULL, NULL, 1, @now, @now)
            RETURNING {Columns}
            """,
            new { id = ApiKeys.NewId("whk_"), organizationId, url, secret = NewSecret(), types = TypesJson(types), description, now },
            cancellationToken: ct));
    }

    public async Task<WebhookRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The endpoints of these organizations (all when null), newest first.</summary>
    public async Task<(IReadOnlyList<WebhookRow> Rows, long Total)> ListAsync(IReadOnlyCollection<string>? organizations, int offset, int limit,
        CancellationToken ct)
    {
        var where = organizations is null ? "1 = 1" : db.InList("organization_id", "organizations");
        var parameters = new { organizations = organizations?.ToArray(), offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM webhooks WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset", parameters,
            cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>Changes an endpoint read at <paramref name="version"/>: its URL, types and note. Null when it changed meanwhile.</summary>
    public async Task<WebhookRow?> ChangeAsync(string id, long version, string url, IReadOnlyList<string>? types, string? description,
        CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"""
            UPDATE webhooks SET url = @url, types = @types, description = @description, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id, version, url, types = TypesJson(types), description, now = DateTimeOffset.UtcNow }, cancellationToken: ct));
    }

    /// <summary>A new signing secret for an endpoint read at <paramref name="version"/>. Null when it changed meanwhile.</summary>
    public async Task<WebhookRow?> RotateSecretAsync(string id, long version, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"""
            UPDATE webhooks SET secret = @secret, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id, version, secret = NewSecret(), now = DateTimeOffset.UtcNow }, cancellationToken: ct));
    }

    /// <summary>
    /// Enabled again, its failures forgotten, what waited due now (not after the backoff it had
    /// reached). Null when it changed meanwhile.
    /// </summary>
    public async Task<WebhookRow?> EnableAsync(string id, long version, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var changed = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"""
            UPDATE webhooks SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id, version, now }, transaction, cancellationToken: ct));
        if (changed is null) return null;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE deliveries SET next_attempt_at = @now WHERE webhook_id = @id AND status = 'pending'", new { id, now }, transaction,
            cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return changed;
    }

    /// <summary>Disabled by its owner: nothing is sent until it is enabled again. Null when it changed meanwhile.</summary>
    public async Task<WebhookRow?> DisableAsync(string id, long version, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"""
            UPDATE webhooks SET disabled_at = COALESCE(disabled_at, @now), disabled_reason = 'owner', version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version
            RETURNING {Columns}
            """, new { id, version, now }, cancellationToken: ct));
    }

    /// <summary>Removes an endpoint with its deliveries and their attempts.</summary>
    public async Task<bool> DeleteAsync(string id, long version, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE webhook_id = @id)", new { id }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM deliveries WHERE webhook_id = @id", new { id }, transaction, cancellationToken: ct));
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM webhooks WHERE id = @id AND version = @version", new { id, version }, transaction, cancellationToken: ct));
        if (removed == 0) return false;
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Queues an event for an endpoint, due now, in the transaction that records the event.</summary>
    internal static Task QueueAsync(DbConnection connection, DbTransaction? transaction, string webhookId, string eventId, DateTimeOffset now,
        CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO deliveries (id, webhook_id, event_id, status, attempts, next_attempt_at, claimed_by, claimed_until, last_status_code, last_error,
                                    created_at, delivered_at)
            VALUES (@id, @webhookId, @eventId, 'pending', 0, @now, NULL, NULL, NULL, NULL, @now, NULL)
            """, new { id = ApiKeys.NewId("dlv_"), webhookId, eventId, now }, transaction, cancellationToken: ct));

    /// <summary>The deliveries of an endpoint, newest first.</summary>
    public async Task<(IReadOnlyList<DeliveryRow> Rows, long Total)> DeliveriesAsync(string webhookId, string? status, int offset, int limit,
        CancellationToken ct)
    {
        var where = "d.webhook_id = @webhookId" + (status is null ? "" : " AND d.status = @status");
        var parameters = new { webhookId, status, offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM deliveries d WHERE {where}", parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryColumns} FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE {where} ORDER BY d.created_at DESC, d.id DESC LIMIT @limit OFFSET @offset
            """, parameters, cancellationToken: ct))).ToList();
        return (rows, total);
    }

    /// <summary>One delivery of an endpoint with every attempt, oldest first.</summary>
    public async Task<(DeliveryRow Row, IReadOnlyList<DeliveryAttempt> Attempts)?> DeliveryAsync(string webhookId, string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<DeliveryRow>(new CommandDefinition(
            $"SELECT {DeliveryColumns} FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = @id AND d.webhook_id = @webhookId",
            new { id, webhookId }, cancellationToken: ct));
        if (row is null) return null;
        var attempts = (await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            "SELECT number, at, status_code, latency_ms, error FROM delivery_attempts WHERE delivery_id = @id ORDER BY number", new { id },
            cancellationToken: ct))).Select(a => new DeliveryAttempt(a.Number, a.At, a.StatusCode, a.LatencyMs, a.Error)).ToList();
        return (row, attempts);
    }

    sealed class AttemptRow
    {
        public int Number { get; set; }
        public DateTimeOffset At { get; set; }
        public int? StatusCode { get; set; }
        public long LatencyMs { get; set; }
        public string? Error { get; set; }
    }

    /// <summary>The event of a delivery sent again, as a new delivery due now (the event id, and so the webhook-id, stays).</summary>
    public async Task<DeliveryRow> RedeliverAsync(DeliveryRow delivery, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        await QueueAsync(connection, null, delivery.WebhookId, delivery.EventId, now, ct);
        return await connection.QueryFirstAsync<DeliveryRow>(new CommandDefinition(
            $"""
            SELECT {DeliveryColumns} FROM deliveries d JOIN events e ON e.id = d.event_id
            WHERE d.webhook_id = @WebhookId AND d.event_id = @EventId ORDER BY d.created_at DESC, d.id DESC LIMIT 1
            """, delivery, cancellationToken: ct));
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> due deliveries of enabled endpoints that no other replica
    /// holds (FOR UPDATE SKIP LOCKED on PostgreSQL), with what sending them takes.
    /// </summary>
    public async Task<IReadOnlyList<Outgoing>> ClaimAsync(int batch, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        var skipLocked = db.Provider == DbProvider.Postgres ? "FOR UPDATE OF d SKIP LOCKED" : "";
        await using var connection = await db.OpenAsync(ct);
        var claimed = (await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            UPDATE deliveries SET claimed_by = @owner, claimed_until = @until
            WHERE id IN (
                SELECT d.id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until < @now)
                  AND w.disabled_at IS NULL
                ORDER BY d.next_attempt_at LIMIT @batch {skipLocked})
            RETURNING id
            """, new { owner = _owner, until = now + ClaimFor, now, batch }, cancellationToken: ct))).ToList();
        if (claimed.Count == 0) return [];
        return (await connection.QueryAsync<Outgoing>(new CommandDefinition(
            $"""
            SELECT d.id, d.webhook_id, w.url, w.secret, d.attempts, d.created_at, e.id AS event_id, e.type AS event_type, e.organization_id, e.at, e.data,
                   w.failing_since
            FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN events e ON e.id = d.event_id
            WHERE {db.InList("d.id", "ids")} AND d.claimed_by = @owner
            ORDER BY d.next_attempt_at
            """, new { ids = claimed.ToArray(), owner = _owner }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// Records an attempt: delivered, or due again at <paramref name="next"/>, or failed for good when
    /// <paramref name="next"/> is null. The endpoint's failing time starts or ends with it, and an endpoint
    /// failing since before <paramref name="disableBefore"/> is disabled.
    /// </summary>
    public async Task RecordAsync(Outgoing delivery, bool delivered, int? statusCode, long latencyMs, string? error, DateTimeOffset? next,
        DateTimeOffset disableBefore, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var status = delivered ? DeliveryStatus.Delivered : next is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
        var recorded = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE deliveries SET status = @status, attempts = attempts + 1, next_attempt_at = COALESCE(@next, next_attempt_at),
                claimed_by = NULL, claimed_until = NULL, last_status_code = @statusCode, last_error = @error,
                delivered_at = CASE WHEN @delivered THEN @now ELSE NULL END
            WHERE id = @Id AND claimed_by = @owner AND status = 'pending'
            """, new { delivery.Id, status, next, statusCode, error, delivered, now, owner = _owner }, transaction, cancellationToken: ct));
        // Another replica took it over after our claim ran out: its attempt is the one on record.
        if (recorded == 0) return;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO delivery_attempts (delivery_id, number, at, status_code, latency_ms, error)
            VALUES (@Id, (SELECT COALESCE(MAX(number), 0) + 1 FROM delivery_attempts WHERE delivery_id = @Id), @now, @statusCode, @latencyMs, @error)
            """, new { delivery.Id, now, statusCode, latencyMs, error }, transaction, cancellationToken: ct));
        if (delivered)
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE webhooks SET failing_since = NULL WHERE id = @WebhookId AND failing_since IS NOT NULL", delivery, transaction, cancellationToken: ct));
        else
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE webhooks SET failing_since = COALESCE(failing_since, @now),
                    disabled_at = CASE WHEN failing_since IS NOT NULL AND failing_since < @disableBefore AND disabled_at IS NULL THEN @now ELSE disabled_at END,
                    disabled_reason = CASE WHEN failing_since IS NOT NULL AND failing_since < @disableBefore AND disabled_at IS NULL THEN 'failing' ELSE disabled_reason END
                WHERE id = @WebhookId
                """, new { delivery.WebhookId, now, disableBefore }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }
}
