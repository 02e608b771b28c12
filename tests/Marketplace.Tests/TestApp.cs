using System.Net.Http.Json;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Marketplace.Tests;

/// <summary>
/// A whole Marketplace in-process with its own temporary data folder, on SQLite or on a fresh
/// PostgreSQL database of its own. Each test makes its own; nothing is shared between tests.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "mk_test-admin-key-0123456789abcdef";
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
    readonly string _provider;
    readonly string? _connectionString;
    readonly Action<IServiceCollection>? _services;
    readonly string? _postgresDatabase;
    readonly bool _ownsDataDir = true;
    readonly IReadOnlyDictionary<string, string>? _settings;

    /// <param name="provider"><c>sqlite</c> or <c>postgres</c>; postgres is skipped where no server is configured.</param>
    /// <param name="connectionString">An existing database to use instead of a fresh one (the caller drops it).</param>
    /// <param name="settings">More configuration, e.g. <c>["Marketplace:Indexing:MaxRefusals"] = "2"</c>.</param>
    public TestApp(string provider = "sqlite", Action<IServiceCollection>? services = null, string? dataDir = null, string? connectionString = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        _provider = provider;
        _services = services;
        _settings = settings;
        if (dataDir is not null) (DataDir, _ownsDataDir) = (dataDir, false);
        if (connectionString is not null) _connectionString = connectionString;
        else if (provider == "postgres") (_connectionString, _postgresDatabase) = Postgres.CreateDatabase();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Marketplace:DataDir", DataDir);
        builder.UseSetting("Marketplace:Database:Provider", _provider);
        builder.UseSetting("ConnectionStrings:Marketplace", _connectionString ?? "");
        builder.UseSetting("Marketplace:Auth:BootstrapAdminKey", AdminKey);
        // The test log keeps what matters: warnings and errors (a failing test prints its own).
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Tests send requests as fast as they can from one address; the rate-limit tests set their own limits.
        foreach (var limit in new[] { "PerKeyPerSecond", "AnonymousPerSecond", "FailedKeysPerMinute" })
            builder.UseSetting($"Marketplace:RateLimits:{limit}", "0");
        foreach (var (key, value) in _settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        if (_services is not null) builder.ConfigureServices(_services);
    }

    /// <summary>A client whose every answer is checked against the served OpenAPI document (<see cref="ResponseSchemas"/>).</summary>
    public HttpClient Anonymous(string? language = null)
    {
        var client = CreateDefaultClient(new Uri("http://localhost"), new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(), new ResponseSchemas());
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }

    public HttpClient WithKey(string key, string? language = null)
    {
        var client = Anonymous(language);
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public HttpClient Admin(string? language = null) => WithKey(AdminKey, language);

    /// <summary>The instance's database, for tests that write what no API call would.</summary>
    public Api.Storage.Db Db => Services.GetRequiredService<Api.Storage.Db>();

    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> WaitUntil(Func<Task<bool>> condition, double seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }

    /// <summary>A new organization and a key of <paramref name="role"/> for it.</summary>
    public async Task<(string OrganizationId, HttpClient Client)> OrganizationWithKey(string role = "member", string? name = null)
    {
        var admin = Admin();
        var org = await admin.PostAsJsonAsync("/api/v1/organizations",
            new { name = new { zh = name ?? "测试企业", ru = "Тестовое предприятие" }, country = "CN", type = role == "agency" ? "agency" : "enterprise" });
        org.EnsureSuccessStatusCode();
        var orgId = (await org.Content.ReadFromJsonAsync<OrganizationResponse>(Json.Options))!.Id;
        var key = await admin.PostAsJsonAsync("/api/v1/api-keys", new { organizationId = orgId, role, name = "tests" });
        key.EnsureSuccessStatusCode();
        var created = (await key.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Json.Options))!;
        return (orgId, WithKey(created.Key));
    }

    /// <summary>The admin makes <paramref name="clientId"/> a client of the agency <paramref name="agencyId"/>: its keys act for it from then on.</summary>
    public async Task Serve(string agencyId, string clientId) =>
        (await Admin().PutAsync($"/api/v1/organizations/{agencyId}/clients/{clientId}", null)).EnsureSuccessStatusCode();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        if (_ownsDataDir) try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (_postgresDatabase is not null) Postgres.DropDatabase(_postgresDatabase);
    }
}

public static class Json
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web);
}

/// <summary>
/// PostgreSQL for the tests that need it: <c>MARKETPLACE_TEST_POSTGRES</c> is a connection string
/// of a role that may create databases (.ci/run sets it). Without it those tests are skipped, and say so.
/// </summary>
public static class Postgres
{
    public const string Variable = "MARKETPLACE_TEST_POSTGRES";
    static string? Server => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } s ? s : null;

    public static (string ConnectionString, string Database) CreateDatabase()
    {
        if (Server is null)
            Assert.Ignore($"PostgreSQL tests skipped: set {Variable} to a connection string of a role with CREATEDB (.ci/run does).");
        var database = "mp_test_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(Server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            command.ExecuteNonQuery();
        }
        return (new NpgsqlConnectionStringBuilder(Server) { Database = database }.ToString(), database);
    }

    public static void DropDatabase(string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var connection = new NpgsqlConnection(Server);
                connection.Open();
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
                command.ExecuteNonQuery();
                return;
            }
            // An autovacuum worker on the database is a process FORCE may not end without pg_signal_backend: it finishes soon.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                Thread.Sleep(500);
            }
        }
    }
}
