using Marketplace.Search;
using Marketplace.Search.Elasticsearch;
using Marketplace.Search.Lucene;

namespace Marketplace.Api.Hosting;

/// <summary>
/// Opens the engine the settings name, once, at start (<see cref="ServiceSetup.InitializeMarketplaceAsync"/>):
/// opening Elasticsearch means talking to the cluster, which is asynchronous work, not a
/// constructor's. <see cref="IListingIndex"/> resolves to the engine it opened.
/// </summary>
public sealed class SearchEngineOpener(MarketplaceOptions options)
{
    IListingIndex? _index;

    public IListingIndex Index => _index
        ?? throw new InvalidOperationException("The search engine is opened at start, by InitializeMarketplaceAsync, before anything uses it.");

    public async Task OpenAsync(CancellationToken ct)
    {
        if (_index is not null) return;
        _index = options.Search.Provider.Trim().ToLowerInvariant() switch
        {
            "lucene" => OpenLucene(),
            "elasticsearch" => await OpenElasticsearchAsync(ct),
            var other => throw new StartupProblem($"Marketplace:Search:Provider is '{other}', but it must be 'lucene' or 'elasticsearch'."),
        };
    }

    IListingIndex OpenLucene()
    {
        if (options.Search.LuceneMemoryMB < 0)
            throw new StartupProblem(
                $"Marketplace:Search:LuceneMemoryMB is {options.Search.LuceneMemoryMB}, but it must be 0 (read the index from disk) or more.");
        try
        {
            return LuceneListingIndex.Open(Path.Combine(options.FullDataDir, "index"), options.Search.LuceneMemoryMB);
        }
        catch (SearchEngineUnavailableException e)
        {
            throw new StartupProblem($"{e.Message} (under Marketplace:DataDir)", e);
        }
    }

    async Task<IListingIndex> OpenElasticsearchAsync(CancellationToken ct)
    {
        var settings = options.Search.Elasticsearch;
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out _))
            throw new StartupProblem($"Marketplace:Search:Elasticsearch:Url '{settings.Url}' is not an absolute URL such as http://localhost:9200.");
        if (!string.IsNullOrWhiteSpace(settings.CertificateFingerprint))
        {
            if (ElasticsearchOptions.HexFingerprint(settings.CertificateFingerprint) is null)
                throw new StartupProblem(
                    $"Marketplace:Search:Elasticsearch:CertificateFingerprint '{settings.CertificateFingerprint}' is not a SHA-256 fingerprint: 64 hex digits, with or without colons, as Elasticsearch prints for its HTTP CA at first start.");
            if (!settings.Url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                throw new StartupProblem(
                    $"Marketplace:Search:Elasticsearch:CertificateFingerprint is set but Url '{settings.Url}' is not https://, so no certificate is checked; use the https:// address of the cluster.");
        }
        try
        {
            return await ElasticsearchListingIndex.OpenAsync(settings, ct);
        }
        catch (SearchEngineUnavailableException e)
        {
            throw new StartupProblem($"{e.Message} (Marketplace:Search:Elasticsearch:Url is {settings.Url})", e);
        }
    }
}
