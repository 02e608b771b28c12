using System.Data.Common;
using Dapper;

namespace Marketplace.Api.Storage;

/// <summary>Applies the versioned SQL migrations (one set for both engines) with Evolve.</summary>
public static partial class Migrator
{
    public static async Task MigrateAsync(Db db, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (db.Provider == DbProvider.Sqlite)
            // WAL lets readers go on while one writer commits.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var evolve = new EvolveDb.Evolve(connection, message => LogEvolve(logger, message))
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = ["Marketplace.Api.Storage.Migrations"],
            IsEraseDisabled = true,
            EnableClusterMode = db.Provider == DbProvider.Postgres,
        };
        evolve.Migrate();
        LogMigrated(logger, db.Provider, evolve.NbMigration);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Migration}")]
    static partial void LogEvolve(ILogger logger, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema migrated ({Provider}, {Count} migrations applied now)")]
    static partial void LogMigrated(ILogger logger, DbProvider provider, int count);
}
