using System.Globalization;
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

    /// <summary>
    /// Builds the next versioned index beside the one behind the alias and swaps the alias in one call.
    /// A versioned index the alias does not point at is what an earlier rebuild left when it failed or
    /// was stopped: it is deleted first, and the new index is numbered above every existing one. A rebuild
    /// that fails or is cancelled deletes the index it made (best effort: the next rebuild deletes it
    /// otherwise); the alias still points at the old index, so searches and writes go on. Once the alias
    /// is swapped the rebuild has succeeded, whether or not the old index can be deleted then: the caller
    /// must go on to re-send what changed meanwhile, and the next rebuild deletes what is left.
    /// Rebuilds are not concurrent: the API holds a lock across replicas around this call.
    /// </summary>
    public async Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        var current = await AliasedIndicesAsync(cancellationToken);
        var versioned = await VersionedIndicesAsync(cancellationToken);
        foreach (var leftover in versioned.Keys.Except(current))
            await Send(HttpMethod.DELETE, $"/{leftover}", null, allowMissing: true, cancellationToken);
        var next = VersionedName(versioned.Values.DefaultIfEmpty(0).Max() + 1);
        IndexWrite write;
        var swapped = false;
        try
        {
            write = await FillAsync(next, documents, cancellationToken);
            await SwapAsync(current, next, cancellationToken);
            swapped = true;
        }
        finally
        {
            if (!swapped) await DiscardAsync(next);
        }
        foreach (var old in current) await DiscardAsync(old);
        return write;
    }

    async Task<IndexWrite> FillAsync(string index, IAsyncEnumerable<ListingDocument> documents, CancellationToken ct)
    {
        await Send(HttpMethod.PUT, $"/{index}", IndexDefinition(aliased: false), false, ct);
        long count = 0;
        var refused = new List<RefusedDocument>();
        var batch = new List<ListingDocument>(1000);
        async Task FlushAsync()
        {
            foreach (var body in ElasticsearchRequests.BulkUpsert(index, batch, ElasticsearchRequests.MaxBulkBytes))
            {
                var write = await BulkAsync(index, body, refresh: false, ct);
                count += write.Indexed;
                refused.AddRange(write.Refused);
            }
            batch.Clear();
        }
        await foreach (var doc in documents.WithCancellation(ct))
        {
            batch.Add(doc);
            if (batch.Count >= 1000) await FlushAsync();
        }
        if (batch.Count > 0) await FlushAsync();
        await Send(HttpMethod.POST, $"/{index}/_refresh", null, false, ct);
        return new IndexWrite(count, refused);
    }

    /// <summary>
    /// Moves the alias from <paramref name="current"/> to <paramref name="next"/> in one call. An error
    /// answer can come after the change was applied (the connection dropped on the way back): where the
    /// alias points then decides whether the swap happened.
    /// </summary>
    async Task SwapAsync(IReadOnlyList<string> current, string next, CancellationToken ct)
    {
        try
        {
            await Send(HttpMethod.POST, "/_aliases", ElasticsearchRequests.ToJson(ElasticsearchRequests.SwapAlias(_alias, current, next)), false, ct);
        }
        catch (SearchEngineUnavailableException)
        {
            if (!(await AliasedIndicesAsync(ct)).Contains(next)) throw;
        }
    }

    /// <summary>
    /// Deletes an index that searches no longer read (the one before a swap) or never did (that of a
    /// rebuild that did not finish), unless the alias points at it: a swap whose answer was lost may have
    /// been applied. Best effort, within seconds whatever the caller's token says: an index left behind
    /// is deleted by the next rebuild.
    /// </summary>
    async Task DiscardAsync(string index)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            if (!(await AliasedIndicesAsync(limit.Token)).Contains(index))
                await Send(HttpMethod.DELETE, $"/{index}", null, allowMissing: true, limit.Token);
        }
        catch (Exception e) when (e is SearchEngineUnavailableException or OperationCanceledException)
        {
            // What the caller reports is the rebuild's outcome; this index waits for the next rebuild.
        }
    }

    async Task<IReadOnlyList<string>> AliasedIndicesAsync(CancellationToken ct) =>
        (await Send(HttpMethod.GET, $"/_alias/{_alias}", null, allowMissing: true, ct))?.AsObject().Select(p => p.Key).ToList() ?? [];

    /// <summary>Every index named <c>{alias}-v{n}</c>, with its n.</summary>
    async Task<Dictionary<string, int>> VersionedIndicesAsync(CancellationToken ct)
    {
        // expand_wildcards=all: closed and hidden ones too, whose names are taken all the same;
        // allow_no_indices: {} rather than an error when there is none.
        var indices = await Send(HttpMethod.GET, $"/{_alias}-v*/_alias?expand_wildcards=all&allow_no_indices=true", null, allowMissing: true, ct);
        if (indices is not JsonObject found) return [];
        return found.Select(i => (Name: i.Key, Version: VersionOf(i.Key))).Where(i => i.Version > 0).ToDictionary(i => i.Name, i => i.Version);
    }

    string VersionedName(int version) => $"{_alias}-v{version}";

    /// <summary>The n of <c>{alias}-v{n}</c>; 0 for an index named otherwise (<c>listings-vintage</c> matches the wildcard too).</summary>
    int VersionOf(string index) =>
        index.StartsWith(_alias + "-v", StringComparison.Ordinal)
        && int.TryParse(index.AsSpan(_alias.Length + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;

    /// <summary>Removes the alias's indices and every other versioned index of it (tests).</summary>
    public async Task DropAsync(CancellationToken ct = default)
    {
        foreach (var index in (await AliasedIndicesAsync(ct)).Union((await VersionedIndicesAsync(ct)).Keys))
            await Send(HttpMethod.DELETE, $"/{index}", null, true, ct);
    }
}
