using System.Data.Common;
using Dapper;

namespace Marketplace.Api.Storage;

/// <summary>
/// Moves an installation from one database to another (embedded SQLite to PostgreSQL): organizations
/// with their profiles and agency clients, hashed keys, listings, the glossary and the lexicon (curated
/// changes and removals included), interests, recommendations and introductions with their history, subscriptions, webhooks with their
/// events and deliveries, the pairs already alerted and the listings waiting to be, in one transaction on the target. The search
/// engine is not copied: the target's engine finds no index and rebuilds it from the database.
/// </summary>
public static partial class DatabaseCopy
{
    // Parents before children (foreign keys). The index outbox is not copied (the rebuild covers it); the
    // listings still waiting to be matched for alerts are.
    static readonly string[] Tables = ["organizations", "agency_clients", "api_keys", "listings", "glossary_terms", "lexicon_entries", "interests", "recommendations", "introductions", "introduction_events",
        "subscriptions", "webhooks", "events", "deliveries", "delivery_attempts", "match_alerts", "match_outbox"];

    public static async Task<IReadOnlyDictionary<string, int>> CopyAsync(Db source, Db target, ILogger logger, CancellationToken ct)
    {
        await Migrator.MigrateAsync(target, logger, ct);
        await using var from = await source.OpenAsync(ct);
        await using var to = await target.OpenAsync(ct);
        var existing = await to.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM listings) + (SELECT COUNT(*) FROM api_keys)");
        if (existing > 0)
            throw new InvalidOperationException("The target database already holds listings or keys; copy into an empty database.");
        await using var transaction = await to.BeginTransactionAsync(ct);
        var counts = new Dictionary<string, int>();
        foreach (var table in Tables)
        {
            var rows = (await from.QueryAsync(new CommandDefinition($"SELECT * FROM {table}", cancellationToken: ct)))
                .Cast<IDictionary<string, object?>>().ToList();
            if (rows.Count > 0)
            {
                var columns = rows[0].Keys.ToList();
                var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
                foreach (var row in rows)
                {
                    var parameters = new DynamicParameters();
                    foreach (var column in columns) parameters.Add(column, Convert(column, row[column]));
                    await to.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: ct));
                }
            }
            counts[table] = rows.Count;
            LogCopied(logger, rows.Count, table);
        }
        // The feed goes on where the source's left off.
        await to.ExecuteAsync(new CommandDefinition("UPDATE event_sequence SET value = (SELECT COALESCE(MAX(seq), 0) FROM events) WHERE id = 1",
            transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return counts;
    }

    /// <summary>SQLite keeps timestamps as text and integers as 64 bits; PostgreSQL wants timestamptz and int4 where declared so.</summary>
    static object? Convert(string column, object? value) => value switch
    {
        null or DBNull => null,
        string s when IsTime(column) =>
            DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).UtcDateTime,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        long l when column is "trl" or "deleted" or "attempts" or "last_status_code" or "number" or "status_code" => (int)l,
        _ => value,
    };

    /// <summary>The timestamp columns, by the schema's naming: <c>at</c>, <c>*_at</c>, <c>*_since</c>, <c>*_until</c>.</summary>
    static bool IsTime(string column) =>
        column is "at" || column.EndsWith("_at", StringComparison.Ordinal) || column.EndsWith("_since", StringComparison.Ordinal)
        || column.EndsWith("_until", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Copied {Count} rows of {Table}")]
    static partial void LogCopied(ILogger logger, int count, string table);
}
