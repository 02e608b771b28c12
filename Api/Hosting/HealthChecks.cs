using Dapper;
using Marketplace.Api.Storage;
using Marketplace.Search;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Marketplace.Api.Hosting;

public sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM organizations", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"{db.Provider} answers");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} does not answer: {e.GetType().Name}");
        }
    }
}

public sealed class IndexHealthCheck(IListingIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var count = await index.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{count} listings indexed");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"search index does not answer: {e.GetType().Name}");
        }
    }
}
