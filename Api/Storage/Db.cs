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

    /// <summary>Rebuilds of the search index, one replica at a time.</summary>
    public const long RebuildLock = 0x4D50_5245_4249_4C44; // "MPREBILD"
    /// <summary>Glossary writes, one at a time (a name may belong to one concept only).</summary>
    public const long GlossaryLock = 0x4D50_474C_4F53_5341; // "MPGLOSSA"

    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, long), SemaphoreSlim> LocalLocks = new();

    /// <summary>
    /// Work only one replica may do at a time, until the handle is disposed: a PostgreSQL advisory
    /// lock held on a connection of its own (released by the server if this process dies); on SQLite,
    /// whose database one process owns, a lock in memory.
    /// </summary>
    public async Task<IAsyncDisposable> LockAsync(long key, CancellationToken ct)
    {
        if (_postgres is null)
        {
            var local = LocalLocks.GetOrAdd((ConnectionString, key), _ => new SemaphoreSlim(1, 1));
            await local.WaitAsync(ct);
            return new Releaser(() => { local.Release(); return ValueTask.CompletedTask; });
        }
        var connection = await _postgres.OpenConnectionAsync(ct);
        try
        {
            // No command timeout: the turn may come after a rebuild of minutes; the token ends the wait.
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key }, commandTimeout: 0, cancellationToken: ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new Releaser(async () =>
        {
            await using (connection)
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
        });
    }

    /// <summary>Holds <paramref name="key"/> until the transaction ends (PostgreSQL); SQLite transactions already write one at a time.</summary>
    public async Task LockForTransactionAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken ct)
    {
        if (Provider == DbProvider.Postgres)
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key }, transaction, cancellationToken: ct));
    }

    sealed class Releaser(Func<ValueTask> release) : IAsyncDisposable
    {
        int _released;
        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? release() : ValueTask.CompletedTask;
    }

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
