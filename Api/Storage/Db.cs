using System.Data.Common;
using Dapper;
using Marketplace.Api.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Marketplace.Api.Storage;

public enum DbProvider { Sqlite, Postgres }

/// <summary>Opens connections to the configured database: SQLite embedded by default, PostgreSQL in production.</summary>
public sealed class Db
{
    public DbProvider Provider { get; }
    public string ConnectionString { get; }
    readonly NpgsqlDataSource? _postgres;

    static Db()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.AddTypeHandler(new UtcTimestampHandler());
    }

    public Db(MarketplaceOptions options, string? connectionString)
    {
        Provider = options.Database.Provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => DbProvider.Sqlite,
            "postgres" or "postgresql" => DbProvider.Postgres,
            var other => throw new StartupProblem(
                $"Marketplace:Database:Provider is '{other}', but it must be 'sqlite' or 'postgres'."),
        };
        if (Provider == DbProvider.Sqlite)
        {
            var builder = string.IsNullOrWhiteSpace(connectionString)
                ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.FullDataDir, "marketplace.db") }
                : Parse(() => new SqliteConnectionStringBuilder(connectionString));
            builder.ForeignKeys = true;
            builder.Pooling = true;
            ConnectionString = builder.ToString();
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new StartupProblem(
                    "Marketplace:Database:Provider is 'postgres' but ConnectionStrings:Marketplace is empty; set it, e.g. 'Host=localhost;Database=marketplace;Username=marketplace;Password=...'.");
            ConnectionString = connectionString;
            _postgres = Parse(() => NpgsqlDataSource.Create(connectionString));
        }
    }

    static T Parse<T>(Func<T> parse)
    {
        try { return parse(); }
        catch (ArgumentException e)
        {
            throw new StartupProblem($"ConnectionStrings:Marketplace cannot be read: {e.Message}", e);
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Writers wait for each other instead of failing at once with SQLITE_BUSY.
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000;");
        return connection;
    }

    /// <summary>
    /// <c>column IN (...)</c> for a list parameter: Npgsql takes the array as one parameter, Dapper
    /// expands the list for SQLite. Pass the values as an array.
    /// </summary>
    public string InList(string column, string parameter) =>
        Provider == DbProvider.Postgres ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>True when <paramref name="e"/> says a unique constraint was violated, on either engine.</summary>
    public static bool IsUniqueViolation(Exception e) => e switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Timestamps are UTC everywhere. PostgreSQL stores them as timestamptz; SQLite as ISO text,
    /// which this handler reads back.
    /// </summary>
    sealed class UtcTimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.Value = value.UtcDateTime;
            parameter.DbType = System.Data.DbType.DateTime;
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal),
            _ => throw new InvalidCastException($"Cannot read a timestamp from {value.GetType().Name}."),
        };
    }
}
