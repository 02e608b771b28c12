using Marketplace.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Tests;

/// <summary>Fault injection behind the port: the real engine, whose writes and mention lookups fail while <see cref="Down"/>.</summary>
public sealed class FailingIndex
{
    public volatile bool Down;
    /// <summary>Searches and matches fail too (the engine does not answer at all).</summary>
    public volatile bool ReadsDown;

    /// <summary>A whole Marketplace whose engine is this one.</summary>
    public TestApp App(string provider = "sqlite", IReadOnlyDictionary<string, string>? settings = null) => new(provider, settings: settings, services: s =>
    {
        s.RemoveAll<IListingIndex>();
        s.AddSingleton<IListingIndex>(sp => new Wrapper(sp.GetRequiredService<Api.Hosting.SearchEngineOpener>().Index, this));
    });

    sealed class Wrapper(IListingIndex inner, FailingIndex state) : IListingIndex
    {
        public Task<bool> NeedsRebuildAsync(CancellationToken ct = default) => inner.NeedsRebuildAsync(ct);
        public Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken ct = default) =>
            state.Down ? throw new SearchEngineUnavailableException("search engine down (injected)") : inner.UpsertAsync(documents, ct);
        public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default) =>
            state.ReadsDown ? throw new SearchEngineUnavailableException("search engine down (injected)") : inner.SearchAsync(query, ct);
        public Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken ct = default) => inner.RebuildAsync(documents, ct);
        public Task<long> CountAsync(CancellationToken ct = default) => inner.CountAsync(ct);
        public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken ct = default) =>
            state.ReadsDown ? throw new SearchEngineUnavailableException("search engine down (injected)") : inner.MatchAsync(query, ct);
        public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
            CancellationToken ct = default) =>
            state.Down ? throw new SearchEngineUnavailableException("search engine down (injected)") : inner.FindMentionsAsync(conceptId, phrases, ct);
        public void Dispose() => inner.Dispose();
    }
}
