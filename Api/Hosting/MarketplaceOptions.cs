using Marketplace.Search.Lucene;

namespace Marketplace.Api.Hosting;

/// <summary>
/// The settings read at start. Each one that is wrong or unreachable stops the start with one
/// sentence naming it (<see cref="StartupProblem"/>).
/// </summary>
public sealed class MarketplaceOptions
{
    public const string Section = "Marketplace";

    /// <summary><c>Marketplace:DataDir</c>: where the SQLite file and the Lucene index live.</summary>
    public string DataDir { get; set; } = "data";
    public DatabaseOptions Database { get; set; } = new();
    public SearchOptions Search { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();
    /// <summary><c>Marketplace:Indexing:MaxRefusals</c>, <c>:MaxBacklogAgeSeconds</c>.</summary>
    public Indexing.IndexingOptions Indexing { get; set; } = new();
    /// <summary><c>Marketplace:RateLimits:PerKeyPerSecond</c>, <c>:PerKeyBurst</c>, <c>:AnonymousPerSecond</c>, <c>:AnonymousBurst</c>, <c>:FailedKeysPerMinute</c>.</summary>
    public Http.RateLimitOptions RateLimits { get; set; } = new();
    /// <summary><c>Marketplace:Glossary:ReloadSeconds</c>.</summary>
    public Glossary.GlossaryOptions Glossary { get; set; } = new();
    public ListingOptions Listings { get; set; } = new();
    public ReviewOptions Review { get; set; } = new();
    /// <summary><c>Marketplace:Webhooks:AllowPrivateTargets</c>, <c>:FirstRetrySeconds</c>, <c>:RetryHours</c>, <c>:DisableAfterHours</c>, <c>:TimeoutSeconds</c>.</summary>
    public Alerts.WebhookOptions Webhooks { get; set; } = new();
    /// <summary><c>Marketplace:Events:RetentionDays</c>.</summary>
    public Alerts.EventOptions Events { get; set; } = new();

    /// <summary>
    /// <c>Marketplace:Review:Required</c>: whether a listing an organization publishes waits for a
    /// reviewer (the agency that serves it, or an admin) before it is searched and matched. Off in the
    /// embedded quick start, on in docker compose.
    /// </summary>
    public sealed class ReviewOptions
    {
        public bool Required { get; set; }
    }

    /// <summary><c>Marketplace:Listings</c>: how long a published listing lives before it expires, unless renewed.</summary>
    public sealed class ListingOptions
    {
        public int LifetimeDays { get; set; } = 365;
        /// <summary>How often the expiry sweep runs, in seconds.</summary>
        public int SweepSeconds { get; set; } = 60;
        /// <summary>How many days before a listing expires its organization gets listing.expiring (once per expiry date).</summary>
        public int ExpiringNoticeDays { get; set; } = 14;
    }

    public sealed class DatabaseOptions
    {
        /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
        public string Provider { get; set; } = "sqlite";
    }

    public sealed class SearchOptions
    {
        /// <summary><c>lucene</c> (embedded default) or <c>elasticsearch</c>.</summary>
        public string Provider { get; set; } = "lucene";
        /// <summary><c>Marketplace:Search:LuceneMemoryMB</c>: how much of the embedded index is served from memory; the rest is read from disk.</summary>
        public int LuceneMemoryMB { get; set; } = LuceneListingIndex.DefaultMemoryMB;
        /// <summary><c>Marketplace:Search:Elasticsearch:Url</c>, <c>:Index</c>, <c>:Username</c>, <c>:Password</c>, <c>:ApiKey</c>, <c>:CertificateFingerprint</c>.</summary>
        public Search.Elasticsearch.ElasticsearchOptions Elasticsearch { get; set; } = new();
    }

    public sealed class AuthOptions
    {
        /// <summary>An admin key of the platform organization; where absent the first start creates and prints one.</summary>
        public string? BootstrapAdminKey { get; set; }
    }

    public string FullDataDir => Path.GetFullPath(DataDir);
}

/// <summary>A setting that stops the start; its message is the one sentence the operator reads.</summary>
public sealed class StartupProblem(string message, Exception? inner = null) : Exception(message, inner);
