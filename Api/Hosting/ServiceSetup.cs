using System.Globalization;
using System.Text.Json.Serialization;
using FluentValidation;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Indexing;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Search;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Localization;

namespace Marketplace.Api.Hosting;

/// <summary>Registers Marketplace's services and reads its settings; Program.cs only calls these.</summary>
public static partial class ServiceSetup
{
    /// <summary>
    /// 1 MB per request body: a listing at every maximum is far smaller, and a bigger body is refused
    /// before it is read into memory. The bulk endpoints stream and lift this limit; each of their
    /// lines has its own (<see cref="NdjsonLines.MaxLineBytes"/>).
    /// </summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public static WebApplicationBuilder AddMarketplace(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        MarketplaceOptions options;
        try
        {
            options = builder.Configuration.GetSection(MarketplaceOptions.Section).Get<MarketplaceOptions>() ?? new MarketplaceOptions();
        }
        catch (InvalidOperationException e)
        {
            // "Failed to convert configuration value 'lots' at 'Marketplace:Search:LuceneMemoryMB' to type 'System.Int32'."
            throw new StartupProblem(e.Message, e);
        }
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(_ => new Db(options, builder.Configuration.GetConnectionString("Marketplace")));
        services.AddSingleton(options.Indexing);
        services.AddSingleton(options.Glossary);
        services.AddSingleton<SearchEngineOpener>();
        services.AddSingleton(sp => sp.GetRequiredService<SearchEngineOpener>().Index);
        services.AddSingleton<TextAnalysis>();
        services.AddSingleton<ListingStore>();
        services.AddSingleton<Workflow.WorkflowStore>();
        services.AddSingleton<Workflow.RecommendationStore>();
        services.AddSingleton<Workflow.FunnelStore>();
        services.AddSingleton<ListingSearch>();
        services.AddSingleton<ListingBulkImport>();
        services.AddSingleton<Glossary.ConceptCatalog>();
        services.AddSingleton<Glossary.GlossaryStore>();
        services.AddSingleton<Lexicon.LexiconStore>();
        services.AddSingleton<Glossary.GlossaryReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<Glossary.GlossaryReloader>());
        services.AddSingleton<Matches.ListingMatcher>();
        services.AddSingleton<IndexOutbox>();
        services.AddSingleton<IndexingHealth>();
        services.AddSingleton<ListingIndexer>();
        services.AddHostedService<OutboxIndexer>();
        services.AddSingleton(options.Webhooks);
        services.AddSingleton(options.Events);
        services.AddSingleton<Alerts.EventStore>();
        services.AddSingleton<Alerts.SubscriptionStore>();
        services.AddSingleton<Alerts.WebhookStore>();
        services.AddHostedService<Alerts.WebhookDispatcher>();
        services.AddSingleton<Alerts.MatchOutbox>();
        services.AddHostedService<Alerts.MatchAlerter>();
        services.AddSingleton<Listings.ListingExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<Listings.ListingExpiry>());

        ValidationNames.UseCamelCasePaths();
        services.AddValidatorsFromAssemblyContaining<ListingValidator>(ServiceLifetime.Singleton);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A number is a JSON number: "trl": "8" is a wrong type, refused and named like any other.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        // Binding failures become exceptions that BadRequestExceptionHandler turns into a 400 naming the member.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDefaults.Apply);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddRequestLocalization(o =>
        {
            CultureInfo[] cultures = [new("en"), new("zh"), new("ru")];
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentUICultures = true;
            o.FallBackToParentCultures = true;
            o.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Agency, p => p.RequireRole(Roles.Agency, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin));

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<IndexHealthCheck>("index", tags: ["ready"])
            .AddCheck<IndexingHealthCheck>("indexing", tags: ["ready"]);
        services.AddMarketplaceRateLimits(options.RateLimits);
        services.AddMarketplaceOpenApi();
        return builder;
    }

    /// <summary>Creates the data folder, migrates the database, bootstraps the admin key and checks the index.</summary>
    public static async Task InitializeMarketplaceAsync(this WebApplication app, CancellationToken ct = default)
    {
        var options = app.Services.GetRequiredService<MarketplaceOptions>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Marketplace.Startup");
        try
        {
            Directory.CreateDirectory(options.FullDataDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupProblem($"Marketplace:DataDir '{options.FullDataDir}' cannot be created: {e.Message}", e);
        }
        CheckLimits(options);
        var db = app.Services.GetRequiredService<Db>();
        await app.Services.GetRequiredService<SearchEngineOpener>().OpenAsync(ct);
        try
        {
            await Migrator.MigrateAsync(db, logger, ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or System.Net.Sockets.SocketException or TimeoutException
                                      or InvalidOperationException or EvolveDb.EvolveException)
        {
            var setting = db.Provider == DbProvider.Sqlite ? "Marketplace:DataDir / ConnectionStrings:Marketplace" : "ConnectionStrings:Marketplace";
            var reason = Innermost(e) is { } inner && inner != e ? $"{e.Message} ({inner.Message})" : e.Message;
            throw new StartupProblem($"The {db.Provider} database named by {setting} cannot be used: {reason}", e);
        }
        await ApiKeysApi.BootstrapAsync(db, options.Auth.BootstrapAdminKey, Console.Out, ct);
        // The glossary before the index: documents carry the concepts it finds.
        await app.Services.GetRequiredService<Glossary.GlossaryStore>().SeedAsync(ct);
        await app.Services.GetRequiredService<Lexicon.LexiconStore>().SeedAsync(ct);
        await app.Services.GetRequiredService<Glossary.GlossaryReloader>().ReloadAsync(ct);
        await StartupIndexCheck.EnsureAsync(app.Services.GetRequiredService<ListingIndexer>(), logger, ct);
        LogStarted(logger, options.FullDataDir, db.Provider, options.Search.Provider);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Marketplace data: {DataDir}; database {Provider}; search {Search}")]
    static partial void LogStarted(ILogger logger, string dataDir, DbProvider provider, string search);

    /// <summary>Numbers that would make no sense stop the start, named, rather than behave oddly later.</summary>
    static void CheckLimits(MarketplaceOptions options)
    {
        void AtLeast(double value, double minimum, string setting)
        {
            if (value < minimum)
                throw new StartupProblem($"{setting} is {value.ToString(CultureInfo.InvariantCulture)}, but it must be at least {minimum.ToString(CultureInfo.InvariantCulture)}.");
        }
        AtLeast(options.Indexing.MaxRefusals, 1, "Marketplace:Indexing:MaxRefusals");
        AtLeast(options.Indexing.MaxBacklogAgeSeconds, 1, "Marketplace:Indexing:MaxBacklogAgeSeconds");
        AtLeast(options.Glossary.ReloadSeconds, 0.1, "Marketplace:Glossary:ReloadSeconds");
        if (options.Auth.BootstrapAdminKey is { } key && key.Trim().Length < 32)
            throw new StartupProblem(
                "Marketplace:Auth:BootstrapAdminKey is shorter than 32 characters; use a long random key, e.g. mk_ followed by the output of 'openssl rand -hex 24'.");
        var limits = options.RateLimits;
        AtLeast(limits.PerKeyPerSecond, 0, "Marketplace:RateLimits:PerKeyPerSecond");
        AtLeast(limits.PerKeyBurst, 0, "Marketplace:RateLimits:PerKeyBurst");
        AtLeast(limits.AnonymousPerSecond, 0, "Marketplace:RateLimits:AnonymousPerSecond");
        AtLeast(limits.AnonymousBurst, 0, "Marketplace:RateLimits:AnonymousBurst");
        AtLeast(limits.FailedKeysPerMinute, 0, "Marketplace:RateLimits:FailedKeysPerMinute");
    }

    static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
