using Marketplace.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Tests;

/// <summary>Fault injection behind the port: the real Lucene engine, whose writes fail while <see cref="Down"/>.</summary>
public sealed class FailingIndex
{
    public volatile bool Down;

    /// <summary>A whole Marketplace whose engine is this one.</summary>
    public TestApp App(string provider = "sqlite") => new(provider, services: s =>
    {
        s.RemoveAll<IListingIndex>();
        s.AddSingleton<IListingIndex>(sp => Wrap(sp.GetRequiredService<Api.Hosting.MarketplaceOptions>()));
    });

    public IListingIndex Wrap(Api.Hosting.MarketplaceOptions options) =>
        new Wrapper(new Marketplace.Search.Lucene.LuceneListingIndex(Path.Combine(options.FullDataDir, "index")), this);

    sealed class Wrapper(IListingIndex inner, FailingIndex state) : IListingIndex
    {
        public bool NeedsRebuild => inner.NeedsRebuild;
        public Task UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken ct = default) =>
            state.Down ? throw new IOException("search engine down (injected)") : inner.UpsertAsync(documents, ct);
        public Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => inner.DeleteAsync(ids, ct);
        public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default) => inner.SearchAsync(query, ct);
        public Task<long> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken ct = default) => inner.RebuildAsync(documents, ct);
        public Task<long> CountAsync(CancellationToken ct = default) => inner.CountAsync(ct);
        public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken ct = default) => inner.MatchAsync(query, ct);
        public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
            CancellationToken ct = default) => inner.FindMentionsAsync(conceptId, phrases, ct);
        public void Dispose() => inner.Dispose();
    }
}
