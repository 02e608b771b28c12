using System.Data.Common;
using System.Text.Json;
using Dapper;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Api.Alerts;

/// <summary>Subscriptions in the database: SQL only. An organization without a row has the defaults, at version 0.</summary>
public sealed class SubscriptionStore(Db db)
{
    /// <summary>The match score a match.found needs by default: a candidate the matching ranks as clearly related.</summary>
    public const double DefaultThreshold = 0.5;

    sealed class Row
    {
        public string OrganizationId { get; set; } = "";
        public string Types { get; set; } = "";
        public double Threshold { get; set; }
        public string Delivery { get; set; } = "";
        public long Version { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public SubscriptionResponse ToResponse() =>
            new(OrganizationId, JsonSerializer.Deserialize<List<string>>(Types)!, Threshold, Delivery, true, Version, UpdatedAt);
    }

    public static SubscriptionResponse Defaults(string organizationId) =>
        new(organizationId, EventTypes.All, DefaultThreshold, AlertDelivery.Immediate, false, 0, null);

    /// <summary>The organization's subscription, its defaults when it set none; null when there is no such organization.</summary>
    public async Task<SubscriptionResponse?> FindAsync(string organizationId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        if (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                "SELECT organization_id, types, threshold, delivery, version, updated_at FROM subscriptions WHERE organization_id = @organizationId",
                new { organizationId }, cancellationToken: ct)) is { } row)
            return row.ToResponse();
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM organizations WHERE id = @organizationId", new { organizationId }, cancellationToken: ct)) > 0;
        return exists ? Defaults(organizationId) : null;
    }

    /// <summary>Sets the subscription read at <paramref name="version"/> (0: the defaults); null when it changed meanwhile.</summary>
    public async Task<SubscriptionResponse?> SaveAsync(string organizationId, long version, IReadOnlyList<string> types, double threshold, string delivery,
        CancellationToken ct)
    {
        var args = new { organizationId, version, types = JsonSerializer.Serialize(types), threshold, delivery, now = DateTimeOffset.UtcNow };
        await using var connection = await db.OpenAsync(ct);
        try
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                version == 0
                    ? """
                      INSERT INTO subscriptions (organization_id, types, threshold, delivery, version, updated_at)
                      VALUES (@organizationId, @types, @threshold, @delivery, 1, @now)
                      RETURNING organization_id, types, threshold, delivery, version, updated_at
                      """
                    : """
                      UPDATE subscriptions SET types = @types, threshold = @threshold, delivery = @delivery, version = version + 1, updated_at = @now
                      WHERE organization_id = @organizationId AND version = @version
                      RETURNING organization_id, types, threshold, delivery, version, updated_at
                      """, args, cancellationToken: ct));
            return row?.ToResponse();
        }
        catch (DbException e) when (Db.IsUniqueViolation(e))
        {
            // Set by someone else since the defaults were read.
            return null;
        }
    }
}
