using System.Data.Common;
using Dapper;

namespace Marketplace.Api.Storage;

/// <summary>Applies the versioned SQL migrations (one set for both engines) with Evolve.</summary>
public static class Migrator
{
    public static async Task MigrateAsync(Db db, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (db.Provider == DbProvider.Sqlite)
            // WAL lets readers go on while one writer commits.
            await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var evolve = new EvolveDb.Evolve(connection, message => logger.LogDebug("{Migration}", message))
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = ["Marketplace.Api.Storage.Migrations"],
            IsEraseDisabled = true,
            EnableClusterMode = db.Provider == DbProvider.Postgres,
        };
        evolve.Migrate();
        logger.LogInformation("Database schema migrated ({Provider}, {Count} migrations applied now)", db.Provider, evolve.NbMigration);
    }
}
