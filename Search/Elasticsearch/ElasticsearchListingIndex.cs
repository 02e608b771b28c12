using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Marketplace.Search.Elasticsearch;

/// <summary>
/// The scale-out engine on an Elasticsearch 9 cluster, through one <see cref="ElasticsearchClient"/>
/// per process. Bodies are the JSON of <see cref="ElasticsearchRequests"/>, sent with the client's
/// transport, so what tests pin is exactly what goes over the wire. Writes use
/// <c>refresh=wait_for</c> (searchable before they answer); reindexing builds a new versioned index
/// and swaps the alias in one call (opening and rebuilding: ElasticsearchListingIndex.Lifecycle.cs).
/// </summary>
public sealed partial class ElasticsearchListingIndex : IListingIndex
{
    readonly ElasticsearchClient _client;
    readonly string _alias;
    readonly string _url;

    /// <summary>
    /// The <c>preference</c> of this engine's term statistics and searches, one string per instance, so
    /// that the same shard copies answer a match's <c>_termvectors</c> and its <c>_search</c>: the idf the
    /// scores are normalised by is then the idf they were scored with (a replica's statistics differ from
    /// its primary's by the deleted documents each has yet to merge away), and the pages of a search are
    /// ranked alike.
    /// </summary>
    readonly string _preference = "mp-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    ElasticsearchListingIndex(ElasticsearchOptions options)
    {
        var settings = new ElasticsearchClientSettings(new Uri(options.Url))
            // 30 s lets a bulk of a few thousand listings and a wait_for refresh through; a dead node fails fast on ping.
            .RequestTimeout(TimeSpan.FromSeconds(30))
            .PingTimeout(TimeSpan.FromSeconds(3));
        if (!string.IsNullOrEmpty(options.ApiKey)) settings = settings.Authentication(new ApiKey(options.ApiKey));
        else if (!string.IsNullOrEmpty(options.Username)) settings = settings.Authentication(new BasicAuthentication(options.Username, options.Password ?? ""));
        if (!string.IsNullOrWhiteSpace(options.CertificateFingerprint))
            settings = settings.CertificateFingerprint(ElasticsearchOptions.HexFingerprint(options.CertificateFingerprint)
                ?? throw new ArgumentException($"CertificateFingerprint '{options.CertificateFingerprint}' is not a SHA-256 fingerprint (64 hex digits).", nameof(options)));
        _client = new ElasticsearchClient(settings);
        _alias = options.Index;
        _url = options.Url;
    }

    async Task<JsonNode?> Send(HttpMethod method, string path, string? body, bool allowMissing, CancellationToken ct) =>
        Read(await RequestAsync(method, path, body, ct), method, path, allowMissing, ct);

    Task<StringResponse> RequestAsync(HttpMethod method, string path, string? body, CancellationToken ct) =>
        _client.Transport.RequestAsync<StringResponse>(method, path, body is null ? null : PostData.String(body), ct);

    static JsonNode? Read(StringResponse response, HttpMethod method, string path, bool allowMissing, CancellationToken ct)
    {
        var details = response.ApiCallDetails;
        if (allowMissing && details.HttpStatusCode == 404) return null;
        if (!details.HasSuccessfulStatusCode)
        {
            // The transport answers a cancelled call as a failed one; the caller asked for it, the engine is not at fault.
            ct.ThrowIfCancellationRequested();
            throw new SearchEngineUnavailableException(
                details.HttpStatusCode is null
                    ? $"Elasticsearch does not answer ({details.OriginalException?.Message ?? "no response"})."
                    : $"Elasticsearch refused {method} {path}: {details.HttpStatusCode} {Shorten(response.Body)}",
                details.OriginalException);
        }
        return string.IsNullOrEmpty(response.Body) ? new JsonObject() : JsonNode.Parse(response.Body);
    }

    /// <summary>The <c>error</c> object of an error answer (its <c>type</c>, <c>reason</c>, <c>caused_by</c>); null for any other body.</summary>
    static JsonObject? ErrorOf(string? body)
    {
        if (string.IsNullOrEmpty(body)) return null;
        try
        {
            return JsonNode.Parse(body) is JsonObject answer ? answer["error"] as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? TypeOf(JsonObject? error) => error?["type"] is JsonValue type && type.TryGetValue<string>(out var name) ? name : null;

    static string Shorten(string? text) => text is null ? "" : text.Length <= 500 ? text : text[..500];

    public async Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0) return IndexWrite.Nothing;
        var refused = new List<RefusedDocument>();
        foreach (var body in ElasticsearchRequests.BulkUpsert(_alias, documents, ElasticsearchRequests.MaxBulkBytes))
            refused.AddRange((await BulkAsync(_alias, body, refresh: true, cancellationToken, requireAlias: true)).Refused);
        // The index holds each listing's current version or nothing: a refused update must not leave the old copy searchable.
        if (refused.Count > 0)
            await BulkAsync(_alias, ElasticsearchRequests.BulkDelete(_alias, refused.Select(r => r.Id)), refresh: true, cancellationToken, requireAlias: true);
        return new IndexWrite(documents.Count - refused.Count, refused);
    }

    /// <summary>Item errors that say the cluster, not the document, is at fault: blocked, closed, missing, or not ours to write.</summary>
    static readonly HashSet<string> ClusterErrors =
        ["cluster_block_exception", "security_exception", "index_not_found_exception", "index_closed_exception"];

    /// <summary>
    /// Sends bulk lines. A version conflict is an older write arriving late (the engine holds newer, as
    /// intended) and a missing document on delete is already gone; 429, 5xx, 401/403 and the errors of
    /// <see cref="ClusterErrors"/> mean the cluster cannot take writes now (a write block during a
    /// snapshot, an index closed, a key without write rights); any other 4xx item is that document's
    /// fault (a mapping it does not fit) and reported. With <paramref name="requireAlias"/> a missing
    /// alias is an error rather than a new index Elasticsearch would make up under its name.
    /// </summary>
    async Task<IndexWrite> BulkAsync(string index, string lines, bool refresh, CancellationToken ct, bool requireAlias = false)
    {
        var query = string.Join('&', new[] { refresh ? "refresh=wait_for" : null, requireAlias ? "require_alias=true" : null }.OfType<string>());
        var result = await Send(HttpMethod.POST, query.Length == 0 ? "/_bulk" : $"/_bulk?{query}", lines, false, ct);
        var items = result?["items"]?.AsArray() ?? [];
        if (result?["errors"]?.GetValue<bool>() != true) return new IndexWrite(items.Count, []);
        var refused = new List<RefusedDocument>();
        foreach (var item in items.Select(i => i!.AsObject().First().Value!))
        {
            var status = item["status"]?.GetValue<int>() ?? 0;
            if (item["error"] is not { } error || status == 409 || (status == 404 && item["result"]?.GetValue<string>() == "not_found")) continue;
            if (status is 429 or >= 500 or 401 or 403 || ClusterErrors.Contains(TypeOf(error as JsonObject) ?? ""))
                throw new SearchEngineUnavailableException($"Elasticsearch cannot take writes into {index} now: {status} {Shorten(error.ToJsonString())}");
            refused.Add(new RefusedDocument(item["_id"]?.GetValue<string>() ?? "", Shorten(error.ToJsonString())));
        }
        return new IndexWrite(items.Count - refused.Count, refused);
    }

    public async Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_search?preference={_preference}",
            ElasticsearchRequests.ToJson(ElasticsearchRequests.Search(query)), false, cancellationToken))!;
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
        // Every statistic the query needs comes in one _mtermvectors call: the source's text per
        // language, its concepts, and each translation of its words as its own document (so the terms
        // of one translation are known as this index analyses them).
        var documents = new List<(string Field, string Text)>();
        var textDocument = new Dictionary<string, int>();
        foreach (var (language, source) in query.Texts)
        {
            textDocument[language] = documents.Count;
            documents.Add((ListingFields.Text(ListingFields.All, language), MatchTerms.WeightedText(source)));
        }
        var conceptIds = query.Concepts.Select(c => c.Id).Distinct().ToList();
        var conceptDocument = -1;
        if (conceptIds.Count > 0)
        {
            conceptDocument = documents.Count;
            documents.Add((ListingFields.Concept, string.Join(' ', conceptIds)));
        }
        var translations = query.Translations ?? new Dictionary<string, IReadOnlyList<TermGroup>>();
        var alternativeDocument = new Dictionary<(string Language, string Text), int>();
        foreach (var (language, groups) in translations)
            foreach (var text in groups.SelectMany(g => g.Alternatives))
                if (alternativeDocument.TryAdd((language, text), documents.Count))
                    documents.Add((ListingFields.Text(ListingFields.All, language), text));
        var stats = documents.Count == 0 ? [] : await TermStatisticsAsync(documents, cancellationToken);

        var terms = new Dictionary<string, List<(string Term, double Idf)>>();
        var textMax = new Dictionary<string, double>();
        foreach (var (language, document) in textDocument)
        {
            var selected = MatchTerms.Salient(stats[document].Terms, stats[document].DocCount);
            if (selected.Count == 0) continue;
            terms[language] = selected;
            // Lucene 10 dropped BM25's (k1 + 1) factor: a term once, at average length, scores idf / (1 + k1).
            textMax[language] = selected.Sum(s => s.Idf) / (1 + K1);
        }

        var translated = new Dictionary<string, List<MatchTerms.ChosenGroup>>();
        var translatedMax = new Dictionary<string, double>();
        foreach (var (language, groups) in translations)
        {
            var docCount = groups.SelectMany(g => g.Alternatives).Select(a => stats[alternativeDocument[(language, a)]].DocCount).DefaultIfEmpty(0).Max();
            var chosen = MatchTerms.Groups(groups.Select(g => (g, (IReadOnlyList<MatchTerms.Alternative>)g.Alternatives.Select(text =>
            {
                var found = stats[alternativeDocument[(language, text)]].Terms;
                return new MatchTerms.Alternative(text, found.Select(t => t.Term).ToList(), found.Select(t => t.DocFreq).ToList());
            }).ToList())), docCount);
            if (chosen.Count == 0) continue;
            translated[language] = chosen;
            translatedMax[language] = chosen.Sum(g => g.Max) / (1 + K1);
        }

        var (conceptStats, conceptDocs) = conceptDocument < 0 ? ([], 0) : stats[conceptDocument];
        var frequency = conceptStats.ToDictionary(s => s.Term, s => s.DocFreq);
        var concepts = MatchTerms.Concepts(query.Concepts.Select(c => (c, frequency.GetValueOrDefault(c.Id))), conceptDocs);
        var conceptMax = concepts.Sum(c => c.Weight * c.Idf) / (1 + K1);
        var queryTerms = terms.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value.Select(s => s.Term).ToList());
        var queryGroups = translated.ToDictionary(t => t.Key, t => (IReadOnlyList<TermGroup>)t.Value
            .Select(g => g.Group with { Alternatives = g.Alternatives.Select(a => a.Alternative.Text).ToList() }).ToList());
        if (terms.Count == 0 && translated.Count == 0 && concepts.Count == 0) return new MatchCandidates([], queryTerms, queryGroups);

        var body = ElasticsearchRequests.Match(terms, concepts, query.Filter, Math.Max(1, query.Candidates), translated);
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_search?include_named_queries_score=true&preference={_preference}",
            ElasticsearchRequests.ToJson(body), false, cancellationToken))!;
        var hits = result["hits"]!["hits"]!.AsArray().Select(h =>
        {
            var named = h!["matched_queries"] as JsonObject;
            double Named(string name) => named?[name] is JsonValue v && v.TryGetValue<double>(out var s) ? s : 0;
            // The best language: a candidate is judged against the terms of the language it shares.
            double Best(Dictionary<string, double> max, Func<string, string> name) =>
                max.Select(t => Math.Min(1, Named(name(t.Key)) / t.Value)).DefaultIfEmpty(0).Max();
            var concept = conceptMax > 0 ? Math.Min(1, Named(ElasticsearchRequests.ConceptsQueryName) / MatchTerms.ConceptBoost / conceptMax) : 0;
            return new MatchHit(h["_id"]!.GetValue<string>(), Best(textMax, ElasticsearchRequests.TextQueryName), concept,
                Best(translatedMax, ElasticsearchRequests.TranslatedQueryName));
        }).ToList();
        return new MatchCandidates(hits, queryTerms, queryGroups);
    }

    // The index's BM25 k1 (listings-index.json).
    const double K1 = 1.2;

    /// <summary>Per document of the request, in its order: its terms with their frequency in it and in the index, and the field's document count.</summary>
    async Task<List<(List<(string Term, double Tf, long DocFreq)> Terms, long DocCount)>> TermStatisticsAsync(
        IReadOnlyList<(string Field, string Text)> documents, CancellationToken ct)
    {
        var result = (await Send(HttpMethod.POST, $"/{_alias}/_mtermvectors?{ElasticsearchRequests.TermStatisticsParameters}&preference={_preference}",
            ElasticsearchRequests.ToJson(ElasticsearchRequests.MultiTermVectors(documents)), false, ct))!;
        var answers = result["docs"]!.AsArray();
        if (answers.Count != documents.Count)
            throw new SearchEngineUnavailableException($"_mtermvectors answered {answers.Count} documents for {documents.Count}.");
        return answers.Select((answer, i) =>
        {
            if (answer?["error"] is { } error) throw new SearchEngineUnavailableException($"_mtermvectors failed: {error.ToJsonString()}");
            var vector = answer?["term_vectors"]?[documents[i].Field];
            if (vector is null) return ([], 0L);
            var docCount = vector["field_statistics"]?["doc_count"]?.GetValue<long>() ?? 0;
            var found = vector["terms"]!.AsObject()
                .Select(t => (t.Key, (double)(t.Value!["term_freq"]?.GetValue<long>() ?? 0), t.Value["doc_freq"]?.GetValue<long>() ?? 0))
                .ToList();
            return (found, docCount);
        }).ToList();
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
    internal int MentionsPageSize { get; set; } = 10_000;

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

    public void Dispose() { }
}
