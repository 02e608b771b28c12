using System.Text.Json.Nodes;
using HttpMethod = Elastic.Transport.HttpMethod;

namespace Marketplace.Search.Elasticsearch;

// Opening (the cluster's version and plugins, the first index) and rebuilding (versioned indices behind the alias).
public sealed partial class ElasticsearchListingIndex
{
    /// <summary>The version docker/elasticsearch/Dockerfile builds (its <c>ES_VERSION</c>), named when a cluster is of another.</summary>
    internal const string BuiltVersion = "9.1.5";

    static string NeedsVersion9 => $"Marketplace needs 9.x (docker/elasticsearch/Dockerfile builds {BuiltVersion})";

    /// <summary>
    /// Connects, checks the cluster (version 9, the smartcn plugin on every node) and makes sure the
    /// alias points at an index; what is wrong is named in one sentence.
    /// </summary>
    public static async Task<ElasticsearchListingIndex> OpenAsync(ElasticsearchOptions options, CancellationToken ct = default)
    {
        var index = new ElasticsearchListingIndex(options);
        var version = await index.VersionAsync(ct);
        // The 9.x client speaks to 9.x: it asks for version 9 responses, which an 8.x node refuses; 10.x is unknown.
        if (!version.StartsWith("9.", StringComparison.Ordinal))
            throw new SearchEngineUnavailableException($"Elasticsearch at {options.Url} is version {version}; {NeedsVersion9}.");
        var plugins = await index.Send(HttpMethod.GET, "/_cat/plugins?format=json", null, false, ct);
        var nodes = await index.Send(HttpMethod.GET, "/_cat/nodes?format=json&h=name", null, false, ct);
        var withSmartcn = plugins?.AsArray().Count(p => p?["component"]?.GetValue<string>() == "analysis-smartcn") ?? 0;
        if (withSmartcn == 0 || withSmartcn < (nodes?.AsArray().Count ?? 1))
            throw new SearchEngineUnavailableException(
                $"Elasticsearch at {options.Url} lacks the analysis-smartcn plugin on some node; install it with 'bin/elasticsearch-plugin install --batch analysis-smartcn' (docker/elasticsearch/Dockerfile does) and restart.");
        await index.EnsureFirstIndexAsync(ct);
        return index;
    }

    async Task<string> VersionAsync(CancellationToken ct)
    {
        var response = await RequestAsync(HttpMethod.GET, "/", null, ct);
        // The client sends Accept: application/vnd.elasticsearch+json; compatible-with=9. A node older than
        // 9.0 refuses that media type (400 media_type_header_exception) before it would tell its version.
        var error = ErrorOf(response.Body);
        if (response.ApiCallDetails.HttpStatusCode == 400 && TypeOf(error) == "media_type_header_exception")
        {
            // "Accept version must be either version 8 or 7, but found 9. Accept=…": its first sentence says it all.
            var reason = (error!["caused_by"]?["reason"] ?? error["reason"])?.ToString().Split(". ")[0];
            throw new SearchEngineUnavailableException(
                $"Elasticsearch at {_url} refused the media type of Marketplace's 9.x client ({reason}), as nodes older than 9.x do; {NeedsVersion9}.");
        }
        var info = Read(response, HttpMethod.GET, "/", allowMissing: false, ct)
            ?? throw new SearchEngineUnavailableException($"Elasticsearch at {_url} did not answer.");
        return info["version"]?["number"]?.GetValue<string>() ?? "?";
    }

    /// <summary>
    /// Points the alias at a first index when it points at none. Replicas started together race here;
    /// the index is created with its alias in one call, so a create refused with
    /// <c>resource_already_exists_exception</c> means another replica made it, and the alias shows it.
    /// Any other refusal is an error.
    /// </summary>
    async Task EnsureFirstIndexAsync(CancellationToken ct)
    {
        if ((await AliasedIndicesAsync(ct)).Count > 0) return;
        var first = VersionedName(1);
        var response = await RequestAsync(HttpMethod.PUT, $"/{first}", IndexDefinition(aliased: true), ct);
        if (response.ApiCallDetails.HttpStatusCode != 400 || TypeOf(ErrorOf(response.Body)) != "resource_already_exists_exception")
        {
            Read(response, HttpMethod.PUT, $"/{first}", allowMissing: false, ct);
            return;
        }
        if ((await AliasedIndicesAsync(ct)).Count == 0)
            throw new SearchEngineUnavailableException(
                $"Elasticsearch at {_url} holds an index {first} that the alias {_alias} does not point at; delete that index (DELETE /{first}) or point {_alias} at it, and start again.");
    }

    string IndexDefinition(bool aliased)
    {
        var definition = JsonNode.Parse(ElasticsearchRequests.IndexDefinition())!.AsObject();
        if (aliased) definition["aliases"] = new JsonObject { [_alias] = new JsonObject { ["is_write_index"] = true } };
        return ElasticsearchRequests.ToJson(definition);
    }

    /// <summary>An index of another format is rebuilt into a new versioned index behind the alias; searches use the old one meanwhile.</summary>
    public async Task<bool> NeedsRebuildAsync(CancellationToken cancellationToken = default) =>
        FormatOf(await Send(HttpMethod.GET, $"/{_alias}/_mapping", null, false, cancellationToken)) != IndexFormat.Version;

    /// <summary>The <see cref="IndexFormat"/> in the mapping's <c>_meta</c> of the index behind the alias; 0 when it has none.</summary>
    internal static int FormatOf(JsonNode? mappings) =>
        mappings?.AsObject().Select(index => index.Value?["mappings"]?["_meta"]?[IndexFormat.Key]).FirstOrDefault(v => v is not null) is JsonValue value
        && value.TryGetValue<int>(out var format) ? format : 0;

    public async Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        var current = (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, true, cancellationToken))?.AsObject().Select(p => p.Key).ToList() ?? [];
        var next = $"{_alias}-v{current.Select(VersionOf).DefaultIfEmpty(0).Max() + 1}";
        await Send(HttpMethod.PUT, $"/{next}", IndexDefinition(aliased: false), false, cancellationToken);
        long count = 0;
        var refused = new List<RefusedDocument>();
        var batch = new List<ListingDocument>(1000);
        async Task FlushAsync()
        {
            var write = await BulkAsync(next, ElasticsearchRequests.BulkUpsert(next, batch), refresh: false, cancellationToken);
            count += write.Indexed;
            refused.AddRange(write.Refused);
            batch.Clear();
        }
        await foreach (var doc in documents.WithCancellation(cancellationToken))
        {
            batch.Add(doc);
            if (batch.Count >= 1000) await FlushAsync();
        }
        if (batch.Count > 0) await FlushAsync();
        await Send(HttpMethod.POST, $"/{next}/_refresh", null, false, cancellationToken);
        await Send(HttpMethod.POST, "/_aliases", ElasticsearchRequests.ToJson(ElasticsearchRequests.SwapAlias(_alias, current, next)), false, cancellationToken);
        foreach (var old in current) await Send(HttpMethod.DELETE, $"/{old}", null, true, cancellationToken);
        return new IndexWrite(count, refused);
    }

    async Task<IReadOnlyList<string>> AliasedIndicesAsync(CancellationToken ct) =>
        (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, allowMissing: true, ct))?.AsObject().Select(p => p.Key).ToList() ?? [];

    string VersionedName(int version) => $"{_alias}-v{version}";

    static int VersionOf(string index) => int.TryParse(index[(index.LastIndexOf("-v", StringComparison.Ordinal) + 2)..], out var v) ? v : 0;

    /// <summary>Removes every versioned index behind the alias (tests).</summary>
    public async Task DropAsync(CancellationToken ct = default)
    {
        var current = (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, true, ct))?.AsObject().Select(p => p.Key).ToList() ?? [];
        foreach (var index in current) await Send(HttpMethod.DELETE, $"/{index}", null, true, ct);
    }
}
