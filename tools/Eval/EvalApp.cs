using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.Eval;

/// <summary>A fresh embedded Marketplace in a temporary folder, quiet, with a known admin key.</summary>
sealed class EvalApp : WebApplicationFactory<global::Program>
{
    const string Key = "mk_eval-admin-key-00000000000000";
    readonly string _dir = Path.Combine(Path.GetTempPath(), "marketplace-eval", Guid.NewGuid().ToString("N"));

    // The factory looks for the API's project folder to use as content root; the API needs none.
    static EvalApp() => Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_MARKETPLACE_API", AppContext.BaseDirectory);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Marketplace:DataDir", _dir);
        builder.UseSetting("Marketplace:Auth:BootstrapAdminKey", Key);
        // The evaluation times matches, not the rate limiter: it sends hundreds of calls from one client.
        builder.UseSetting("Marketplace:RateLimits:PerKeyPerSecond", "0");
        builder.UseSetting("Marketplace:RateLimits:AnonymousPerSecond", "0");
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
    }

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        return client;
    }

    /// <summary>Adds generated listings (half offers, half needs) in batches; returns the ids of the needs.</summary>
    public async Task<List<string>> GrowAsync(int count)
    {
        var store = Services.GetRequiredService<ListingStore>();
        var indexer = Services.GetRequiredService<Api.Indexing.ListingIndexer>();
        var generator = new Cli.ListingGenerator(Api.Glossary.GlossaryStore.Shipped(), Api.Lexicon.LexiconStore.Shipped(), seed: 42);
        var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        var needs = new List<string>();
        for (var done = 0; done < count; done += 500)
        {
            var n = Math.Min(500, count - done);
            foreach (var kind in new[] { ListingKind.Offer, ListingKind.Need })
            {
                var batch = Enumerable.Range(done, (n + (kind == ListingKind.Offer ? 1 : 0)) / 2)
                    .Select(i => ((string?)$"gen-{kind.Name}-{i}", ListingContent.From(
                        System.Text.Json.JsonSerializer.Deserialize<ListingRequest>(DataSet.ToRequest(generator.Next($"gen-{i}", kind == ListingKind.Need)), json)!)))
                    .ToList();
                var stored = await store.UpsertManyAsync(kind, "platform", batch, byReviewer: true, CancellationToken.None);
                await indexer.IndexNowAsync(stored.Changed);
                if (kind == ListingKind.Need) needs.AddRange(stored.Results.Select(s => s.Row.Id));
            }
        }
        return needs;
    }

    /// <summary>The engine's share of a match: the same queries straight against the index port, sorted.</summary>
    public async Task<List<double>> EngineLatenciesAsync(IReadOnlyList<string> needIds)
    {
        var store = Services.GetRequiredService<ListingStore>();
        var index = Services.GetRequiredService<Search.IListingIndex>();
        var catalog = Services.GetRequiredService<Api.Glossary.ConceptCatalog>();
        var times = new List<double>();
        foreach (var id in needIds)
        {
            var content = (await store.FindAsync(id, CancellationToken.None))!.Content;
            var query = new Search.MatchQuery(content.Texts(), catalog.WeightedConceptsOf(content),
                new Search.ListingFilter { Kind = "offer" }, Api.Matches.ListingMatcher.CandidatesFor(10));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await index.MatchAsync(query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
