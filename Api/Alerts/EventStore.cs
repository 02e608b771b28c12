using System.Data.Common;
using System.Text.Json;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Alerts;

/// <summary>An event to record for one organization, in the transaction of its cause.</summary>
public sealed record NewEvent(string OrganizationId, string Type, EventData Data);

/// <summary>A row of <c>events</c>.</summary>
public sealed class EventRow
{
    public string Id { get; set; } = "";
    public long? Seq { get; set; }
    public string OrganizationId { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string Data { get; set; } = "";

    public EventResponse ToResponse() => new(Id, Type, At, OrganizationId, JsonSerializer.Deserialize<EventData>(Data, EventStore.Json)!);
}

/// <summary>
/// Events in the database, SQL only. An event is written in its cause's transaction together with a
/// pending delivery for every enabled webhook of its organization that takes its type, so that an
/// acknowledged change is never without its alert, and an alert never without its change.
/// </summary>
public sealed class EventStore(Db db)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// Records the events an organization's subscription takes (all types by default) and queues their
    /// deliveries, in <paramref name="transaction"/>.
    /// </summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction transaction, IEnumerable<NewEvent> events, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var byOrganization in events.GroupBy(e => e.OrganizationId))
        {
            var organization = byOrganization.Key;
            var subscription = await connection.QuerySingleOrDefaultAsync<(string Types, string Delivery)?>(new CommandDefinition(
                "SELECT types, delivery FROM subscriptions WHERE organization_id = @organization", new { organization }, transaction, cancellationToken: ct));
            var subscribed = subscription is { } chosen ? JsonSerializer.Deserialize<List<string>>(chosen.Types) : null;
            var daily = subscription?.Delivery == AlertDelivery.Daily;
            var webhooks = (await connection.QueryAsync<(string Id, string? Types)>(new CommandDefinition(
                "SELECT id, types FROM webhooks WHERE organization_id = @organization AND disabled_at IS NULL", new { organization }, transaction,
                cancellationToken: ct))).Select(w => (w.Id, Types: w.Types is null ? null : JsonSerializer.Deserialize<List<string>>(w.Types))).ToList();
            foreach (var e in byOrganization)
            {
                var type = EventTypes.ChosenAs(e.Type);
                if (subscribed is not null && !subscribed.Contains(type)) continue;
                var id = ApiKeys.NewId("evt_");
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO events (id, seq, organization_id, type, at, data) VALUES (@id, NULL, @organization, @type, @now, @data)",
                    new { id, organization, type = e.Type, now, data = JsonSerializer.Serialize(e.Data, Json) }, transaction, cancellationToken: ct));
                // A daily subscription's matches are pushed in the day's digest, not one by one.
                if (daily && e.Type == EventTypes.MatchFound) continue;
                foreach (var webhook in webhooks.Where(w => w.Types is null || w.Types.Contains(type)))
                    await WebhookStore.QueueAsync(connection, transaction, webhook.Id, id, now, ct);
            }
        }
    }

    /// <summary>
    /// The daily digests due at <paramref name="now"/>: for each daily subscription whose last digest
    /// ended before today's digest time (<paramref name="hourUtc"/> UTC), one match.digest with the
    /// match.found events since then (none when there were none), and the subscription marked, in one
    /// transaction per organization; on several replicas at once each organization is digested once.
    /// </summary>
    public async Task<int> DigestAsync(DateTimeOffset now, int hourUtc, CancellationToken ct)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(hourUtc);
        var end = now >= today ? today : today.AddDays(-1);
        await using var connection = await db.OpenAsync(ct);
        var due = (await connection.QueryAsync<(string Organization, DateTimeOffset? Since)>(new CommandDefinition(
            "SELECT organization_id, digest_at FROM subscriptions WHERE delivery = 'daily' AND (digest_at IS NULL OR digest_at < @end)",
            new { end }, cancellationToken: ct))).ToList();
        var digests = 0;
        foreach (var (organization, since) in due)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE subscriptions SET digest_at = @end WHERE organization_id = @organization AND (digest_at IS NULL OR digest_at < @end)",
                    new { organization, end }, transaction, cancellationToken: ct)) == 0)
                continue; // another replica took it
            var matches = (await connection.QueryAsync<EventRow>(new CommandDefinition(
                """
                SELECT id, seq, organization_id, type, at, data FROM events
                WHERE organization_id = @organization AND type = 'match.found' AND at >= @from AND at < @end ORDER BY at, id
                """, new { organization, from = since ?? end.AddDays(-1), end }, transaction, cancellationToken: ct))).ToList();
            if (matches.Count > 0)
            {
                await AddAsync(connection, transaction,
                    [new(organization, EventTypes.MatchDigest, new EventData(Matches: matches.Select(m => m.ToResponse()).ToList()))], ct);
                digests++;
            }
            await transaction.CommitAsync(ct);
        }
        return digests;
    }

    /// <summary>
    /// Gives the committed events without a place in the feed the next sequence numbers, oldest first,
    /// one sequencer at a time (the lock is the <c>event_sequence</c> row): an event committed after a
    /// reader's page always gets a higher number than that page's last.
    /// </summary>
    public async Task<int> SequenceAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE seq IS NULL LIMIT 1) AS waiting", cancellationToken: ct)) == 0)
            return 0;
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Taking the row's lock first: two sequencers (replicas) take turns.
        await connection.ExecuteAsync(new CommandDefinition("UPDATE event_sequence SET value = value WHERE id = 1", transaction: transaction, cancellationToken: ct));
        var last = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT value FROM event_sequence WHERE id = 1", transaction: transaction, cancellationToken: ct));
        var waiting = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT id FROM events WHERE seq IS NULL ORDER BY at, id LIMIT 1000", transaction: transaction, cancellationToken: ct))).ToList();
        await connection.ExecuteAsync(new CommandDefinition("UPDATE events SET seq = @seq WHERE id = @id",
            waiting.Select((id, i) => new { id, seq = last + 1 + i }), transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("UPDATE event_sequence SET value = @value WHERE id = 1",
            new { value = last + waiting.Count }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return waiting.Count;
    }

    /// <summary>Sequenced events of these organizations (all when null) after <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<EventRow>> FeedAsync(IReadOnlyCollection<string>? organizations, long after, string? type, int limit,
        CancellationToken ct)
    {
        var where = "seq > @after" + (organizations is null ? "" : $" AND {db.InList("organization_id", "organizations")}")
                    + (type is null ? "" : " AND type = @type");
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"SELECT id, seq, organization_id, type, at, data FROM events WHERE {where} ORDER BY seq LIMIT @limit",
            new { after, organizations = organizations?.ToArray(), type, limit }, cancellationToken: ct))).ToList();
    }

    public async Task<EventRow?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<EventRow>(new CommandDefinition(
            "SELECT id, seq, organization_id, type, at, data FROM events WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>Removes events older than <paramref name="before"/> with their deliveries and attempts.</summary>
    public async Task<int> ForgetAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var old = "SELECT id FROM events WHERE at < @before";
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IN ({old}))", new { before }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM deliveries WHERE event_id IN ({old})", new { before }, transaction, cancellationToken: ct));
        var removed = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM events WHERE at < @before", new { before }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return removed;
    }
}
