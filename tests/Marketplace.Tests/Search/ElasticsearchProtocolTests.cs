using System.Text.Json.Nodes;
using Marketplace.Search;
using Marketplace.Search.Elasticsearch;

namespace Marketplace.Tests.Search;

/// <summary>
/// The Elasticsearch engine against a scripted HTTP peer that answers in Elasticsearch's documented
/// response shapes: the start-up checks, what each call sends, and how answers are read. It is no
/// substitute for a live node (ListingIndexTests with MARKETPLACE_ES_URL), but it runs everywhere.
/// </summary>
public sealed class ElasticsearchProtocolTests
{
    internal static (int, string) Cluster(string method, string path, bool smartcn = true, bool aliasExists = false, int format = IndexFormat.Version) =>
        (method, path.Split('?')[0]) switch
    {
        ("GET", "/listings/_mapping") => (200, "{\"listings-v1\":{\"mappings\":{\"_meta\":{\"marketplace_format\":" + format + "},\"dynamic\":\"strict\"}}}"),
        ("GET", "/") => (200, """{"name":"n1","cluster_name":"c","version":{"number":"9.1.5"},"tagline":"You Know, for Search"}"""),
        ("GET", "/_cat/plugins") => (200, smartcn ? """[{"name":"n1","component":"analysis-smartcn","version":"9.1.5"}]""" : "[]"),
        ("GET", "/_cat/nodes") => (200, """[{"name":"n1"}]"""),
        ("GET", "/_alias/listings") => aliasExists ? (200, """{"listings-v1":{"aliases":{"listings":{}}}}""") : (404, """{"error":"alias [listings] missing","status":404}"""),
        ("PUT", "/listings-v1") => (200, """{"acknowledged":true,"shards_acknowledged":true,"index":"listings-v1"}"""),
        _ => (500, """{"error":"unexpected"}"""),
    };

    [Test]
    public async Task WithoutTheSmartcnPluginTheEngineRefusesToStartAndNamesTheFix()
    {
        using var node = new ScriptedNode((m, p, _) => Cluster(m, p, smartcn: false));
        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url }));
        Assert.That(error!.Message, Does.Contain("analysis-smartcn").And.Contain("elasticsearch-plugin install"));
    }

    [TestCase("8.15.0", TestName = "An 8.x node is refused in one sentence")]
    [TestCase("10.0.0", TestName = "A 10.x node is refused in one sentence")]
    public async Task ANodeOfAnotherMajorVersionIsRefusedInOneSentence(string version)
    {
        using var node = new ScriptedNode((m, p, _) => p == "/"
            ? (200, "{\"name\":\"n1\",\"cluster_name\":\"c\",\"version\":{\"number\":\"" + version + "\"},\"tagline\":\"You Know, for Search\"}")
            : Cluster(m, p));
        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url }));
        Assert.That(error!.Message, Is.EqualTo($"Elasticsearch at {node.Url} is version {version}; Marketplace needs 9.x (docker/elasticsearch/Dockerfile builds 9.1.5)."));
    }

    [Test]
    public async Task An8xNodeThatRefusesThe9xMediaTypeIsNamedInOneSentence()
    {
        // What an 8.x node answers any request of the 9.x client, before it would tell its version.
        using var node = new ScriptedNode((_, _, _) => (400, """{"error":{"root_cause":[{"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept, Content-Type]"}],"type":"media_type_header_exception","reason":"Invalid media-type value on headers [Accept, Content-Type]","caused_by":{"type":"status_exception","reason":"Accept version must be either version 8 or 7, but found 9. Accept=application/vnd.elasticsearch+json; compatible-with=9"}},"status":400}"""));

        var error = await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url }));

        Assert.That(node.Requests.First().Accept, Does.Contain("compatible-with=9"), "the client asks for version 9 responses");
        Assert.That(error!.Message, Does.Contain("Accept version must be either version 8 or 7").And.Contain("older than 9.x")
            .And.EndWith("Marketplace needs 9.x (docker/elasticsearch/Dockerfile builds 9.1.5)."));
        Assert.That(error.Message, Does.Not.Contain(". ").And.Not.Contain("\n"), "one sentence");
    }

    [Test]
    public async Task AMissingAliasCreatesTheFirstVersionedIndex()
    {
        using var node = new ScriptedNode((m, p, _) => Cluster(m, p));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        var create = node.Requests.Single(r => r.Method == "PUT");
        Assert.That(create.Path, Is.EqualTo("/listings-v1"));
        var body = JsonNode.Parse(create.Body)!;
        Assert.That(body["aliases"]!["listings"]!["is_write_index"]!.GetValue<bool>());
        Assert.That(body["mappings"]!["properties"]!["title_zh"]!["analyzer"]!.GetValue<string>(), Is.EqualTo("listing_zh"));
    }

    [Test]
    public async Task AnIndexOfAnotherFormatAsksForARebuildAndAnIndexOfThisOneDoesNot()
    {
        using (var node = new ScriptedNode((m, p, _) => Cluster(m, p, aliasExists: true, format: IndexFormat.Version - 1)))
        using (var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url }))
        {
            Assert.That(await index.NeedsRebuildAsync(), Is.True);
            Assert.That(node.Requests.Where(r => r.Method == "PUT"), Is.Empty, "the rebuild makes the new index, not the start");
        }
        using (var node = new ScriptedNode((m, p, _) => Cluster(m, p, aliasExists: true)))
        using (var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url }))
            Assert.That(await index.NeedsRebuildAsync(), Is.False);
    }

    [Test]
    public async Task WritesWaitForRefreshAndAnOlderVersionConflictIsNotAnError()
    {
        using var node = new ScriptedNode((m, p, _) => p.StartsWith("/_bulk")
            ? (200, """{"took":3,"errors":true,"items":[{"index":{"_index":"listings-v1","_id":"a","status":409,"error":{"type":"version_conflict_engine_exception","reason":"older"}}},{"index":{"_index":"listings-v1","_id":"b","_version":2,"result":"updated","status":200}}]}""")
            : Cluster(m, p, aliasExists: true));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        await index.UpsertAsync([Doc("a", 1), Doc("b", 2)]);

        var bulk = node.Requests.Single(r => r.Path.StartsWith("/_bulk"));
        Assert.That(bulk.Path, Is.EqualTo("/_bulk?refresh=wait_for&require_alias=true"), "a missing alias is an error, not a new index under its name");
        Assert.That(bulk.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(4));
    }

    [Test]
    public async Task ADocumentTheClusterRefusesIsReportedAloneAndItsOldCopyRemoved()
    {
        using var node = new ScriptedNode((m, p, body) => p.StartsWith("/_bulk") && body.Contains("\"index\"")
            ? (200, """{"took":3,"errors":true,"items":[{"index":{"_index":"listings-v1","_id":"a","status":400,"error":{"type":"document_parsing_exception","reason":"failed to parse"}}},{"index":{"_index":"listings-v1","_id":"b","_version":1,"result":"created","status":201}}]}""")
            : p.StartsWith("/_bulk")
                ? (200, """{"took":1,"errors":false,"items":[{"delete":{"_index":"listings-v1","_id":"a","status":200,"result":"deleted"}}]}""")
                : Cluster(m, p, aliasExists: true));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        var write = await index.UpsertAsync([Doc("a", 1), Doc("b", 1)]);

        Assert.That(write.Indexed, Is.EqualTo(1));
        Assert.That(write.Refused.Single().Id, Is.EqualTo("a"));
        Assert.That(write.Refused.Single().Reason, Does.Contain("document_parsing_exception"));
        var delete = node.Requests.Where(r => r.Path.StartsWith("/_bulk")).Last();
        Assert.That(delete.Body, Does.Contain("\"delete\"").And.Contain("\"_id\":\"a\""));
    }

    [TestCase(429, "es_rejected_execution_exception", TestName = "Items rejected for load")]
    [TestCase(503, "unavailable_shards_exception", TestName = "Items failed on an unavailable shard")]
    [TestCase(403, "cluster_block_exception", TestName = "Items blocked by a write block")]
    [TestCase(403, "security_exception", TestName = "A key without write rights")]
    [TestCase(404, "index_not_found_exception", TestName = "The alias gone")]
    public async Task AClusterThatCannotTakeWritesIsUnavailableNotARefusal(int status, string type)
    {
        using var node = new ScriptedNode((m, p, _) => p.StartsWith("/_bulk")
            ? (200, "{\"took\":3,\"errors\":true,\"items\":[{\"index\":{\"_index\":\"listings-v1\",\"_id\":\"a\",\"status\":" + status + ",\"error\":{\"type\":\"" + type + "\"}}}]}")
            : Cluster(m, p, aliasExists: true));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });
        await Assert.ThrowsAsync<SearchEngineUnavailableException>(() => index.UpsertAsync([Doc("a", 1)]));
    }

    [Test]
    public async Task MentionsAreReadPageAfterPageBeyondAnyResultWindow()
    {
        string[] matching = ["a", "b", "c", "d", "e"];
        using var node = new ScriptedNode((m, p, body) =>
        {
            if (!p.StartsWith("/listings/_search")) return Cluster(m, p, aliasExists: true);
            var request = JsonNode.Parse(body)!;
            var after = request["search_after"]?[0]?.GetValue<string>();
            var page = matching.Where(id => after is null || string.CompareOrdinal(id, after) > 0).Take(request["size"]!.GetValue<int>());
            var hits = string.Join(",", page.Select(id => "{\"_id\":\"" + id + "\",\"sort\":[\"" + id + "\"]}"));
            return (200, "{\"took\":1,\"hits\":{\"hits\":[" + hits + "]}}");
        });
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });
        index.MentionsPageSize = 2;

        var ids = await index.FindMentionsAsync("ch-1", new Dictionary<string, IReadOnlyList<string>>());

        Assert.That(ids, Is.EqualTo(matching));
        Assert.That(node.Requests.Count(r => r.Path.StartsWith("/listings/_search")), Is.EqualTo(3));
    }

    [Test]
    public async Task SearchHitsTotalsAndFacetsAreRead()
    {
        using var node = new ScriptedNode((m, p, _) => p.StartsWith("/listings/_search")
            ? (200, """{"took":1,"hits":{"total":{"value":2,"relation":"eq"},"max_score":2.5,"hits":[{"_index":"listings-v1","_id":"a","_score":2.5},{"_index":"listings-v1","_id":"b","_score":1.0}]},"aggregations":{"field":{"buckets":[{"key":"new-energy","doc_count":2}]},"country":{"buckets":[{"key":"RU","doc_count":1},{"key":"CN","doc_count":1}]},"form":{"buckets":[{"key":"licensing","doc_count":2}]},"trl":{"buckets":[{"key":7,"doc_count":2}]}}}""")
            : Cluster(m, p, aliasExists: true));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        var result = await index.SearchAsync(new SearchQuery("насос", new ListingFilter { Kind = "offer" }, 0, 10));

        Assert.That(result.Hits.Select(h => h.Id), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(result.Total, Is.EqualTo(2));
        Assert.That(result.Facets!.Trl, Is.EquivalentTo(new Dictionary<string, long> { ["7"] = 2 }));
        Assert.That(result.Facets.Country["CN"], Is.EqualTo(1));
    }

    [Test]
    public async Task AMatchReadsTermStatisticsAndEachNamedPartsScore()
    {
        using var node = new ScriptedNode((m, p, body) => p switch
        {
            _ when p.StartsWith("/listings/_mtermvectors") =>
                (200, """{"docs":[""" +
                      """{"_index":"listings-v1","found":true,"term_vectors":{"all_zh":{"field_statistics":{"sum_doc_freq":40,"doc_count":10,"sum_ttf":50},"terms":{"水泵":{"doc_freq":2,"ttf":3,"term_freq":2},"矿山":{"doc_freq":1,"ttf":1,"term_freq":1},"罕见":{"doc_freq":0,"ttf":0,"term_freq":1}}}}},""" +
                      """{"_index":"listings-v1","found":true,"term_vectors":{"concept":{"field_statistics":{"sum_doc_freq":20,"doc_count":8,"sum_ttf":25},"terms":{"ne-1":{"doc_freq":2,"ttf":2,"term_freq":1}}}}},""" +
                      """{"_index":"listings-v1","found":true,"term_vectors":{"all_ru":{"field_statistics":{"sum_doc_freq":40,"doc_count":10,"sum_ttf":50},"terms":{"насос":{"doc_freq":2,"ttf":2,"term_freq":1}}}}},""" +
                      """{"_index":"listings-v1","found":true,"term_vectors":{"all_ru":{"field_statistics":{"sum_doc_freq":40,"doc_count":10,"sum_ttf":50},"terms":{"помп":{"doc_freq":0,"ttf":0,"term_freq":1}}}}},""" +
                      """{"_index":"listings-v1","found":true,"term_vectors":{"all_ru":{"field_statistics":{"sum_doc_freq":40,"doc_count":10,"sum_ttf":50},"terms":{"горн":{"doc_freq":1,"ttf":1,"term_freq":1},"дел":{"doc_freq":3,"ttf":3,"term_freq":1}}}}}""" +
                      "]}"),
            _ when p.StartsWith("/listings/_search") =>
                (200, """{"hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_id":"fuel","_score":3.1,"matched_queries":{"text_zh":1.0,"concepts":1.2,"translated_ru":0.5}}]}}"""),
            _ => Cluster(m, p, aliasExists: true),
        });
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        var result = await index.MatchAsync(new MatchQuery(
            new Dictionary<string, LanguageText> { ["zh"] = new("矿山水泵", "矿山排水水泵。", []) },
            [new WeightedConcept("ne-1", 1)], new ListingFilter { Kind = "offer" }, 50,
            new Dictionary<string, IReadOnlyList<TermGroup>> { ["ru"] = [new("水泵", ["насос", "помпа"], 2), new("矿山", ["горное дело"], 1)] }));

        var statistics = node.Requests.Single(r => r.Path.StartsWith("/listings/_mtermvectors"));
        Assert.That(statistics.Path, Does.Contain("term_statistics=true").And.Contain("field_statistics=true"));
        Assert.That(JsonNode.Parse(statistics.Body)!["docs"]!.AsArray().Select(d => d!["doc"]!.AsObject().Single().Value!.GetValue<string>()),
            Is.EqualTo(new[] { "矿山水泵\n矿山水泵\n矿山排水水泵。", "ne-1", "насос", "помпа", "горное дело" }), "one document per text, in one call");
        var search = node.Requests.Single(r => r.Path.StartsWith("/listings/_search"));
        Assert.That(search.Path, Does.Contain("include_named_queries_score=true"));
        var sent = JsonNode.Parse(search.Body)!["query"]!["bool"]!["should"]!.AsArray();
        Assert.That(sent[0]!["bool"]!["should"]!.AsArray(), Has.Count.EqualTo(2), "the term no listing has is not queried");
        var groups = sent[1]!["bool"]!["should"]!.AsArray();
        Assert.That(sent[1]!["bool"]!["_name"]!.GetValue<string>(), Is.EqualTo("translated_ru"));
        Assert.That(groups.Select(g => g!["dis_max"]!["queries"]!.AsArray().Count), Is.EqualTo(new[] { 1, 1 }), "the translation no listing has is not queried");
        Assert.That(result.QueryTerms["zh"], Is.EqualTo(new[] { "水泵", "矿山" }));
        Assert.That(result.QueryGroups!["ru"].Select(g => (g.Source, string.Join(",", g.Alternatives))),
            Is.EquivalentTo(new[] { ("水泵", "насос"), ("矿山", "горное дело") }));
        var hit = result.Hits.Single();
        Assert.That(hit.Id, Is.EqualTo("fuel"));
        Assert.That(hit.Text, Is.InRange(0.0, 1.0).And.GreaterThan(0));
        // concepts: 1.2 / boost 2 / (idf(2 of 8) / (1 + k1))
        var expected = 0.6 / (MatchTerms.Idf(2, 8) / 2.2);
        Assert.That(hit.Concepts, Is.EqualTo(Math.Min(1, expected)).Within(1e-9));
        // translated: 0.5 / (the groups' best idfs / (1 + k1)); горное дело is two terms, its idf their sum
        var translatedMax = (MatchTerms.Idf(2, 10) + MatchTerms.Idf(1, 10) + MatchTerms.Idf(3, 10)) / 2.2;
        Assert.That(hit.Translated, Is.EqualTo(0.5 / translatedMax).Within(1e-9));
    }

    [Test]
    public async Task TermStatisticsAndScoringReadTheSameShardCopies()
    {
        using var node = new ScriptedNode((m, p, _) => p switch
        {
            _ when p.StartsWith("/listings/_mtermvectors") =>
                (200, """{"docs":[{"_index":"listings-v1","found":true,"term_vectors":{"all_ru":{"field_statistics":{"sum_doc_freq":40,"doc_count":10,"sum_ttf":50},"terms":{"насос":{"doc_freq":2,"ttf":3,"term_freq":2}}}}},{"_index":"listings-v1","found":true}]}"""),
            _ when p.StartsWith("/listings/_search") =>
                (200, """{"hits":{"total":{"value":1,"relation":"eq"},"hits":[{"_id":"a","_score":1.5,"matched_queries":{"text_ru":1.0}}]}}"""),
            _ => Cluster(m, p, aliasExists: true),
        });
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        await index.MatchAsync(new MatchQuery(new Dictionary<string, LanguageText> { ["ru"] = new("Насос", "Насос шахтный.", []) },
            [new WeightedConcept("ne-1", 1)], new ListingFilter { Kind = "offer" }, 50));
        await index.SearchAsync(new SearchQuery("насос", new ListingFilter(), 0, 10));

        var reads = node.Requests.Where(r => r.Path.Contains("/_mtermvectors") || r.Path.Contains("/_search")).ToList();
        Assert.That(reads.Count(r => r.Path.Contains("/_mtermvectors")), Is.EqualTo(1), "text and concepts in one call");
        var preferences = reads.Select(r => System.Web.HttpUtility.ParseQueryString(new Uri(node.Url + r.Path).Query)["preference"]).Distinct().ToList();
        Assert.That(preferences, Has.Count.EqualTo(1), "one preference for statistics and scoring");
        Assert.That(preferences[0], Does.Match("^mp-[0-9a-f]{8}$"));
    }

    [Test]
    public async Task AStatisticsAnswerThatDoesNotAddUpIsAnEngineFault()
    {
        using var node = new ScriptedNode((m, p, _) => p.StartsWith("/listings/_mtermvectors")
            ? (200, """{"docs":[{"_index":"listings-v1","error":{"type":"illegal_argument_exception","reason":"boom"}}]}""")
            : Cluster(m, p, aliasExists: true));
        using var index = await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions { Url = node.Url });

        Assert.That(() => index.MatchAsync(new MatchQuery(
            new Dictionary<string, LanguageText> { ["ru"] = new("Насос", "Насос.", []) }, [], new ListingFilter(), 10)),
            Throws.TypeOf<SearchEngineUnavailableException>().With.Message.Contains("boom"));
        Assert.That(node.Requests.Any(r => r.Path.StartsWith("/listings/_search")), Is.False);
    }

    static ListingDocument Doc(string id, long version) => new(id, "offer", "org", "published", "new-energy", 7, "RU", ["licensing"],
        new Dictionary<string, LanguageText> { ["ru"] = new("Насос", "Насос.", []) }, DateTimeOffset.UtcNow, ["ne-1"], version);
}
