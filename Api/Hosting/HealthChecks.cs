using System.Text.Json;
using Dapper;
using Marketplace.Api.Indexing;
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
            return HealthCheckResult.Unhealthy($"{db.Provider} does not answer: {e.GetType().Name}", e);
        }
    }
}

/// <summary>The engine answers reads.</summary>
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
            return HealthCheckResult.Unhealthy($"search index does not answer: {e.GetType().Name}", e);
        }
    }
}

/// <summary>
/// Writes reach the engine: degraded (still serving, HTTP 200) when the engine refuses writes, when
/// a write has waited longer than <see cref="IndexingOptions.MaxBacklogAgeSeconds"/>, or when
/// listings are parked.
/// </summary>
public sealed class IndexingHealthCheck(IndexingHealth health, IndexOutbox outbox, IndexingOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // This answer is public: it says what is wrong, never the engine's own words (GET /api/v1/admin/index-status has those).
        var problems = new List<string>();
        if (health.RefusingWrites is { } refusing)
            problems.Add($"the search engine has refused writes since {refusing.Since:O}");
        var (pending, oldest, parked) = await outbox.SummaryAsync(cancellationToken);
        if (oldest is { } since && DateTimeOffset.UtcNow - since > TimeSpan.FromSeconds(options.MaxBacklogAgeSeconds))
            problems.Add($"{pending} write(s) wait for the search engine, the oldest since {since:O}");
        if (parked > 0)
            problems.Add($"{parked} listing(s) are parked: the engine refused them; see GET /api/v1/admin/index-status");
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{pending} write(s) in the outbox")
            : HealthCheckResult.Degraded(string.Join("; ", problems));
    }
}

/// <summary><c>/health/ready</c> as JSON: the overall status and each check's status and description (never an exception's details).</summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
