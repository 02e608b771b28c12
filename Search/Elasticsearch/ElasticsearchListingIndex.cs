using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Marketplace.Search.Elasticsearch;

/// <summary>Where the scale-out engine is and how to reach it.</summary>
public sealed class ElasticsearchOptions
{
    public string Url { get; set; } = "http://localhost:9200";
    /// <summary>The alias clients read and write; it points at one versioned index, <c>{Index}-v{n}</c>.</summary>
    public string Index { get; set; } = "listings";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? ApiKey { get; set; }
}

/// <summary>The engine is unreachable or unfit; the message is one sentence naming the fix.</summary>
public sealed class SearchEngineUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The scale-out engine on an Elasticsearch 9 cluster, through one <see cref="ElasticsearchClient"/>
/// per process. Bodies are the JSON of <see cref="ElasticsearchRequests"/>, sent with the client's
/// transport, so what tests pin is exactly what goes over the wire. Writes use
/// <c>refresh=wait_for</c> (searchable before they answer); reindexing builds a new versioned index
/// and swaps the alias in one call.
/// </summary>
public sealed class ElasticsearchListingIndex : IListingIndex
{
    readonly ElasticsearchClient _client;
    readonly string _alias;

    public bool NeedsRebuild { get; }

    public ElasticsearchListingIndex(ElasticsearchOptions options)
    {
        var settings = new ElasticsearchClientSettings(new Uri(options.Url))
            // 30 s lets a bulk of a few thousand listings and a wait_for refresh through; a dead node fails fast on ping.
            .RequestTimeout(TimeSpan.FromSeconds(30))
            .PingTimeout(TimeSpan.FromSeconds(3));
        if (!string.IsNullOrEmpty(options.ApiKey)) settings = settings.Authentication(new ApiKey(options.ApiKey));
        else if (!string.IsNullOrEmpty(options.Username)) settings = settings.Authentication(new BasicAuthentication(options.Username, options.Password ?? ""));
        _client = new ElasticsearchClient(settings);
        _alias = options.Index;

        var info = Send(HttpMethod.GET, "/", null, allowMissing: false, CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new SearchEngineUnavailableException($"Elasticsearch at {options.Url} did not answer.");
        var version = info["version"]?["number"]?.GetValue<string>() ?? "?";
        if (!version.StartsWith("9.", StringComparison.Ordinal) && !version.StartsWith("8.", StringComparison.Ordinal))
            throw new SearchEngineUnavailableException($"Elasticsearch at {options.Url} is version {version}; Marketplace needs 8.x or 9.x.");
        var plugins = Send(HttpMethod.GET, "/_cat/plugins?format=json", null, false, CancellationToken.None).GetAwaiter().GetResult();
        var nodes = Send(HttpMethod.GET, "/_cat/nodes?format=json&h=name", null, false, CancellationToken.None).GetAwaiter().GetResult();
        var withSmartcn = plugins?.AsArray().Count(p => p?["component"]?.GetValue<string>() == "analysis-smartcn") ?? 0;
        if (withSmartcn == 0 || withSmartcn < (nodes?.AsArray().Count ?? 1))
            throw new SearchEngineUnavailableException(
                $"Elasticsearch at {options.Url} lacks the analysis-smartcn plugin on some node; install it with 'bin/elasticsearch-plugin install --batch analysis-smartcn' (docker/elasticsearch/Dockerfile does) and restart.");

        var exists = Send(HttpMethod.GET, $"/_alias/{_alias}", null, allowMissing: true, CancellationToken.None).GetAwaiter().GetResult() is not null;
        if (!exists) CreateIndexAsync(_alias + "-v1", alias: true, CancellationToken.None).GetAwaiter().GetResult();
        // An index of another format is rebuilt into a new versioned index behind the alias; searches use the old one meanwhile.
        NeedsRebuild = !exists || FormatOf(Send(HttpMethod.GET, $"/{_alias}/_mapping", null, false, CancellationToken.None).GetAwaiter().GetResult())
            != IndexFormat.Version;
    }

    /// <summary>The <see cref="IndexFormat"/> in the mapping's <c>_meta</c> of the index behind the alias; 0 when it has none.</summary>
    internal static int FormatOf(JsonNode? mappings) =>
        mappings?.AsObject().Select(index => index.Value?["mappings"]?["_meta"]?[IndexFormat.Key]).FirstOrDefault(v => v is not null) is JsonValue value
        && value.TryGetValue<int>(out var format) ? format : 0;

    async Task<JsonNode?> Send(HttpMethod method, string path, string? body, bool allowMissing, CancellationToken ct)
    {
        var response = await _client.Transport.RequestAsync<StringResponse>(method, path,
            body is null ? null : PostData.String(body), ct);
        var details = response.ApiCallDetails;
        if (allowMissing && details.HttpStatusCode == 404) return null;
        if (!details.HasSuccessfulStatusCode)
            throw new SearchEngineUnavailableException(
                details.HttpStatusCode is null
                    ? $"Elasticsearch does not answer ({details.OriginalException?.Message ?? "no response"})."
                    : $"Elasticsearch refused {method} {path}: {details.HttpStatusCode} {Shorten(response.Body)}",
                details.OriginalException);
        return string.IsNullOrEmpty(response.Body) ? new JsonObject() : JsonNode.Parse(response.Body);
    }

    static string Shorten(string? text) => text is null ? "" : text.Length <= 500 ? text : text[..500];

    async Task CreateIndexAsync(string name, bool alias, CancellationToken ct)
    {
        var definition = JsonNode.Parse(ElasticsearchRequests.IndexDefinition())!.AsObject();
        if (alias) definition["aliases"] = new JsonObject { [_alias] = new JsonObject { ["is_write_index"] = true } };
        await Send(HttpMethod.PUT, $"/{name}", ElasticsearchRequests.ToJson(definition), false, ct);
    }

    public async Task UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0) return;
        await BulkAsync(_alias, ElasticsearchRequests.BulkUpsert(_alias, documents), refresh: true, cancellationToken);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return;
        await BulkAsync(_alias, ElasticsearchRequests.BulkDelete(_alias, ids), refresh: true, cancellationToken);
    }

    async Task BulkAsync(string index, string lines, bool refresh, CancellationToken ct)
    {
        var result = await Send(HttpMethod.POST, $"/_bulk{(refresh ? "?refresh=wait_for" : "")}", lines, false, ct);
        if (result?["errors"]?.GetValue<bool>() != true) return;
        // A version conflict is an older write arriving late: the engine already holds newer, as intended.
        var failures = result["items"]!.AsArray()
            .Select(i => i!.AsObject().First().Value!)
            .Where(i => i["error"] is not null && i["status"]?.GetValue<int>() != 409 && !(i["status"]?.GetValue<int>() == 404 && i["result"]?.GetValue<string>() == "not_found"))
            .ToList();
        if (failures.Count > 0)
            throw new SearchEngineUnavailableException(
                $"Elasticsearch refused {failures.Count} bulk item(s) in {index}: {Shorten(failures[0]["error"]!.ToJsonString())}");
    }

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_search", ElasticsearchRequests.ToJson(ElasticsearchRequests.Search(query)), false, cancellationToken))!;
        var hits = result["hits"]!["hits"]!.AsArray()
            .Select(h => new SearchHit(h!["_id"]!.GetValue<string>(), h["_score"] is JsonValue v && v.TryGetValue<double>(out var s) ? (float)s : 0f))
            .ToList();
        var total = result["hits"]!["total"]!["value"]!.GetValue<long>();
        FacetCounts? facets = null;
        if (query.WithFacets && result["aggregations"] is JsonObject aggs)
        {
            static Dictionary<string, long> Buckets(JsonNode? agg) => agg!["buckets"]!.AsArray()
                .ToDictionary(b => b!["key"]!.ToString(), b => b!["doc_count"]!.GetValue<long>());
            facets = new FacetCounts(Buckets(aggs["field"]), Buckets(aggs["country"]), Buckets(aggs["form"]), Buckets(aggs["trl"]));
        }
        return new SearchResult(hits, total, facets);
    }

    public async Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken cancellationToken = default)
    {
        var terms = new Dictionary<string, List<(string Term, double Idf)>>();
        var textMax = new Dictionary<string, double>();
        foreach (var (language, source) in query.Texts)
        {
            var field = ListingFields.Text(ListingFields.All, language);
            var (stats, docCount) = await TermStatisticsAsync(field, MatchTerms.WeightedText(source), cancellationToken);
            var selected = MatchTerms.Salient(stats, docCount);
            if (selected.Count == 0) continue;
            terms[language] = selected;
            // Lucene 10 dropped BM25's (k1 + 1) factor: a term once, at average length, scores idf / (1 + k1).
            textMax[language] = selected.Sum(s => s.Idf) / (1 + K1);
        }
        var conceptIds = query.Concepts.Select(c => c.Id).Distinct().ToList();
        var (conceptStats, conceptDocs) = conceptIds.Count == 0
            ? ([], 0)
            : await TermStatisticsAsync(ListingFields.Concept, string.Join(' ', conceptIds), cancellationToken);
        var frequency = conceptStats.ToDictionary(s => s.Term, s => s.DocFreq);
        var concepts = MatchTerms.Concepts(query.Concepts.Select(c => (c, frequency.GetValueOrDefault(c.Id))), conceptDocs);
        var conceptMax = concepts.Sum(c => c.Weight * c.Idf) / (1 + K1);
        var queryTerms = terms.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value.Select(s => s.Term).ToList());
        if (terms.Count == 0 && concepts.Count == 0) return new MatchCandidates([], queryTerms);

        var body = ElasticsearchRequests.Match(terms, concepts, query.Filter, Math.Max(1, query.Candidates));
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_search?include_named_queries_score=true",
            ElasticsearchRequests.ToJson(body), false, cancellationToken))!;
        var hits = result["hits"]!["hits"]!.AsArray().Select(h =>
        {
            var named = h!["matched_queries"] as JsonObject;
            double Named(string name) => named?[name] is JsonValue v && v.TryGetValue<double>(out var s) ? s : 0;
            var text = textMax.Select(t => Math.Min(1, Named(ElasticsearchRequests.TextQueryName(t.Key)) / t.Value)).DefaultIfEmpty(0).Max();
            var concept = conceptMax > 0 ? Math.Min(1, Named(ElasticsearchRequests.ConceptsQueryName) / MatchTerms.ConceptBoost / conceptMax) : 0;
            return new MatchHit(h["_id"]!.GetValue<string>(), text, concept);
        }).ToList();
        return new MatchCandidates(hits, queryTerms);
    }

    // The index's BM25 k1 (listings-index.json).
    const double K1 = 1.2;

    async Task<(List<(string Term, double Tf, long DocFreq)> Terms, long DocCount)> TermStatisticsAsync(string field, string text, CancellationToken ct)
    {
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_termvectors", ElasticsearchRequests.ToJson(ElasticsearchRequests.TermVectors(field, text)), false, ct))!;
        var vector = result["term_vectors"]?[field];
        if (vector is null) return ([], 0);
        var docCount = vector["field_statistics"]?["doc_count"]?.GetValue<long>() ?? 0;
        var terms = vector["terms"]!.AsObject()
            .Select(t => (t.Key, (double)(t.Value!["term_freq"]?.GetValue<long>() ?? 0), t.Value["doc_freq"]?.GetValue<long>() ?? 0))
            .ToList();
        return (terms, docCount);
    }

    public async Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
        CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        while (true)
        {
            var result = (await Send(HttpMethod.POST, $"/{_alias}/_search",
                ElasticsearchRequests.ToJson(ElasticsearchRequests.Mentions(conceptId, phrases, MentionsPageSize, ids.LastOrDefault())), false,
                cancellationToken))!;
            var page = result["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>()).ToList();
            ids.AddRange(page);
            if (page.Count < MentionsPageSize) return ids;
        }
    }

    /// <summary>Ids per page when listing a concept's mentions (pages follow each other with search_after).</summary>
    internal int MentionsPageSize { get; init; } = 10_000;

    public async Task<long> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        var current = (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, true, cancellationToken))?.AsObject().Select(p => p.Key).ToList() ?? [];
        var next = $"{_alias}-v{current.Select(VersionOf).DefaultIfEmpty(0).Max() + 1}";
        await CreateIndexAsync(next, alias: false, cancellationToken);
        long count = 0;
        var batch = new List<ListingDocument>(1000);
        await foreach (var doc in documents.WithCancellation(cancellationToken))
        {
            batch.Add(doc);
            if (batch.Count < 1000) continue;
            await BulkAsync(next, ElasticsearchRequests.BulkUpsert(next, batch), refresh: false, cancellationToken);
            count += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0) await BulkAsync(next, ElasticsearchRequests.BulkUpsert(next, batch), refresh: false, cancellationToken);
        count += batch.Count;
        await Send(HttpMethod.POST, $"/{next}/_refresh", null, false, cancellationToken);
        await Send(HttpMethod.POST, "/_aliases", ElasticsearchRequests.ToJson(ElasticsearchRequests.SwapAlias(_alias, current, next)), false, cancellationToken);
        foreach (var old in current) await Send(HttpMethod.DELETE, $"/{old}", null, true, cancellationToken);
        return count;
    }

    static int VersionOf(string index) => int.TryParse(index[(index.LastIndexOf("-v", StringComparison.Ordinal) + 2)..], out var v) ? v : 0;

    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var result = await Send(HttpMethod.GET, $"/{_alias}/_count", null, false, cancellationToken);
        return result!["count"]!.GetValue<long>();
    }

    /// <summary>The tokens an index analyzer makes of a text (<c>_analyze</c>), for the golden token test.</summary>
    public async Task<IReadOnlyList<string>> AnalyzeAsync(string analyzer, string text, CancellationToken ct = default)
    {
        var result = await Send(HttpMethod.POST, $"/{_alias}/_analyze",
            ElasticsearchRequests.ToJson(new JsonObject { ["analyzer"] = analyzer, ["text"] = text }), false, ct);
        return result!["tokens"]!.AsArray().Select(t => t!["token"]!.GetValue<string>()).ToList();
    }

    /// <summary>Removes every versioned index behind the alias (tests).</summary>
    public async Task DropAsync(CancellationToken ct = default)
    {
        var current = (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, true, ct))?.AsObject().Select(p => p.Key).ToList() ?? [];
        foreach (var index in current) await Send(HttpMethod.DELETE, $"/{index}", null, true, ct);
    }

    public void Dispose() { }
}
