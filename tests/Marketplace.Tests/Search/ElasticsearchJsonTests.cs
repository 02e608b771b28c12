using System.Text.Json.Nodes;
using Marketplace.Search;
using Marketplace.Search.Elasticsearch;

namespace Marketplace.Tests.Search;

/// <summary>
/// What the Elasticsearch engine sends, pinned without a server: a change to the mapping or to a
/// query's JSON fails here first, and is then checked against a live node (MARKETPLACE_ES_URL).
/// </summary>
public sealed class ElasticsearchJsonTests
{
    static readonly ListingDocument Document = new("of_1", "offer", "org_1", "published", "new-energy", 7, "RU", ["licensing", "joint-rnd"],
        new Dictionary<string, LanguageText> { ["ru"] = new("Топливный элемент", "Водородный топливный элемент.", ["водород"]) },
        new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), ["ne-1", "ne-1", "x:pem"], 3);

    [Test]
    public void BulkUpsertUsesExternalVersionsAndTheIndexedFields() => Assert.That(ElasticsearchRequests.BulkUpsert("listings", [Document]), Is.EqualTo(
        "{\"index\":{\"_index\":\"listings\",\"_id\":\"of_1\",\"version\":3,\"version_type\":\"external_gte\"}}\n" +
        "{\"id\":\"of_1\",\"kind\":\"offer\",\"status\":\"published\",\"org\":\"org_1\",\"field\":\"new-energy\",\"country\":\"RU\",\"form\":[\"licensing\",\"joint-rnd\"],\"lang\":[\"ru\"],\"trl\":7,\"updated\":\"2026-11-25T12:00:00.0000000Z\",\"version\":3,\"title_ru\":\"Топливный элемент\",\"all_ru\":\"Топливный элемент\\nводород\\nВодородный топливный элемент.\",\"concept\":\"ne-1 ne-1 x:pem\"}\n"));

    [Test]
    public void BulkDelete() => Assert.That(ElasticsearchRequests.BulkDelete("listings", ["of_1"]), Is.EqualTo("{\"delete\":{\"_index\":\"listings\",\"_id\":\"of_1\"}}\n"));

    [Test]
    public void ASearchAnalysesTheTextPerLanguageUnderFiltersWithFacets() => Assert.That(
        ElasticsearchRequests.ToJson(ElasticsearchRequests.Search(new SearchQuery("潜水泵 насосы",
            new ListingFilter { Kind = "offer", Country = "RU", TrlMin = 5, CooperationForms = ["licensing", "transfer"], Language = "ru" }, 20, 10))),
        Is.EqualTo("{\"from\":20,\"size\":10,\"track_total_hits\":true,\"_source\":false,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"offer\"}},{\"term\":{\"status\":\"published\"}},{\"term\":{\"country\":\"RU\"}},{\"term\":{\"lang\":\"ru\"}},{\"range\":{\"trl\":{\"gte\":5}}},{\"terms\":{\"form\":[\"licensing\",\"transfer\"]}}],\"should\":[{\"match\":{\"title_zh\":{\"query\":\"潜水泵 насосы\",\"boost\":3}}},{\"match\":{\"all_zh\":{\"query\":\"潜水泵 насосы\",\"boost\":1}}},{\"match\":{\"title_ru\":{\"query\":\"潜水泵 насосы\",\"boost\":3}}},{\"match\":{\"all_ru\":{\"query\":\"潜水泵 насосы\",\"boost\":1}}},{\"match\":{\"title_en\":{\"query\":\"潜水泵 насосы\",\"boost\":3}}},{\"match\":{\"all_en\":{\"query\":\"潜水泵 насосы\",\"boost\":1}}}],\"minimum_should_match\":1}},\"aggs\":{\"field\":{\"terms\":{\"field\":\"field\",\"size\":50}},\"country\":{\"terms\":{\"field\":\"country\",\"size\":300}},\"form\":{\"terms\":{\"field\":\"form\",\"size\":50}},\"trl\":{\"terms\":{\"field\":\"trl\",\"size\":10}}}}"));

    [Test]
    public void ReverseMatchesForAlertsNarrowToTheSubscribedOrganizationsInOneTermsFilter() => Assert.That(
        ElasticsearchRequests.Filters(new ListingFilter { Kind = "need", Organizations = ["org_b", "org_a", "org_b"] }).ToJsonString(),
        Is.EqualTo("""[{"term":{"kind":"need"}},{"term":{"status":"published"}},{"terms":{"org":["org_a","org_b"]}}]"""));

    [Test]
    public void AListingWithoutTextIsNewestFirst() => Assert.That(
        ElasticsearchRequests.ToJson(ElasticsearchRequests.Search(new SearchQuery(null, new ListingFilter { Kind = "need" }, 0, 20, WithFacets: false))),
        Is.EqualTo("{\"from\":0,\"size\":20,\"track_total_hits\":true,\"_source\":false,\"sort\":[{\"updated\":\"desc\"},{\"id\":\"asc\"}],\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"need\"}},{\"term\":{\"status\":\"published\"}}]}}}"));

    [Test]
    public void TermStatisticsOfEveryTextInOneCall() => Assert.That(
        ElasticsearchRequests.ToJson(ElasticsearchRequests.MultiTermVectors([("all_zh", "潜水泵\n潜水泵\n矿山排水"), ("concept", "ne-1 x:pem"), ("all_ru", "дезинфекция")])),
        Is.EqualTo("{\"docs\":[{\"doc\":{\"all_zh\":\"潜水泵\\n潜水泵\\n矿山排水\"},\"fields\":[\"all_zh\"]},{\"doc\":{\"concept\":\"ne-1 x:pem\"},\"fields\":[\"concept\"]},{\"doc\":{\"all_ru\":\"дезинфекция\"},\"fields\":[\"all_ru\"]}]}"));

    [Test]
    public void ATranslatedWordIsTheBestOfItsTranslationsAPhraseNeedsAllItsWordsAndAHeadCountsLess()
    {
        var disinfection = new MatchTerms.ChosenGroup(new TermGroup("消毒", ["дезинфекция", "обеззараживание"], 2), [
            (new MatchTerms.Alternative("дезинфекция", ["дезинфекц"], [3]), 2.1),
            (new MatchTerms.Alternative("обеззараживание", ["обеззараживан"], [2]), 2.4)]);
        var castor = new MatchTerms.ChosenGroup(new TermGroup("蓖麻油", ["касторовое масло"], 1), [
            (new MatchTerms.Alternative("касторовое масло", ["касторов", "масл"], [1, 4]), 3.3)]);
        var machine = new MatchTerms.ChosenGroup(new TermGroup("机", ["машина"], 1, Weight: 0.5), [
            (new MatchTerms.Alternative("машина", ["машин"], [5]), 1.2)]);
        var translated = new Dictionary<string, List<MatchTerms.ChosenGroup>> { ["ru"] = [disinfection, castor, machine] };
        Assert.That(ElasticsearchRequests.ToJson(ElasticsearchRequests.Match(new Dictionary<string, List<(string Term, double Idf)>>(), [],
                new ListingFilter { Kind = "offer" }, 30, translated)),
            Is.EqualTo("{\"size\":30,\"_source\":false,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"offer\"}},{\"term\":{\"status\":\"published\"}}],\"should\":[{\"bool\":{\"should\":[" +
                "{\"dis_max\":{\"queries\":[{\"term\":{\"all_ru\":\"дезинфекц\"}},{\"term\":{\"all_ru\":\"обеззараживан\"}}],\"tie_breaker\":0}}," +
                "{\"dis_max\":{\"queries\":[{\"bool\":{\"must\":[{\"term\":{\"all_ru\":\"касторов\"}},{\"term\":{\"all_ru\":\"масл\"}}]}}],\"tie_breaker\":0}}," +
                "{\"dis_max\":{\"queries\":[{\"term\":{\"all_ru\":\"машин\"}}],\"tie_breaker\":0,\"boost\":0.5}}]," +
                "\"_name\":\"translated_ru\"}}],\"minimum_should_match\":1}}}"));
    }

    [Test]
    public void AMatchNamesEachPartSoItsScoreComesBack()
    {
        var terms = new Dictionary<string, List<(string Term, double Idf)>> { ["zh"] = [("水泵", 2.5), ("矿山", 1.9)], ["ru"] = [("насос", 1.2)] };
        Assert.That(ElasticsearchRequests.ToJson(ElasticsearchRequests.Match(terms, [("ne-1", 1.41421356, 3.2), ("x:pem", 0.5, 4.0)],
                new ListingFilter { Kind = "offer" }, 50)),
            Is.EqualTo("{\"size\":50,\"_source\":false,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"offer\"}},{\"term\":{\"status\":\"published\"}}],\"should\":[{\"bool\":{\"should\":[{\"term\":{\"all_zh\":\"水泵\"}},{\"term\":{\"all_zh\":\"矿山\"}}],\"_name\":\"text_zh\"}},{\"bool\":{\"should\":[{\"term\":{\"all_ru\":\"насос\"}}],\"_name\":\"text_ru\"}},{\"bool\":{\"should\":[{\"term\":{\"concept\":{\"value\":\"ne-1\",\"boost\":1.4142}}},{\"term\":{\"concept\":{\"value\":\"x:pem\",\"boost\":0.5}}}],\"boost\":2,\"_name\":\"concepts\"}}],\"minimum_should_match\":1}}}"));
    }

    [Test]
    public void MentionsOfAGlossaryConcept() => Assert.That(
        ElasticsearchRequests.ToJson(ElasticsearchRequests.Mentions("ch-1",
            new Dictionary<string, IReadOnlyList<string>> { ["zh"] = ["蓖麻油"], ["ru"] = ["касторовое масло"] }, 10000, after: "of_0042")),
        Is.EqualTo("{\"size\":10000,\"_source\":false,\"track_total_hits\":false,\"query\":{\"bool\":{\"should\":[{\"term\":{\"concept\":\"ch-1\"}},{\"match_phrase\":{\"all_zh\":\"蓖麻油\"}},{\"match_phrase\":{\"all_ru\":\"касторовое масло\"}}],\"minimum_should_match\":1}},\"sort\":[{\"id\":\"asc\"}],\"search_after\":[\"of_0042\"]}"));

    [Test]
    public void TheAliasSwapIsOneAtomicCall() => Assert.That(
        ElasticsearchRequests.ToJson(ElasticsearchRequests.SwapAlias("listings", ["listings-v1"], "listings-v2")),
        Is.EqualTo("{\"actions\":[{\"remove\":{\"index\":\"listings-v1\",\"alias\":\"listings\"}},{\"add\":{\"index\":\"listings-v2\",\"alias\":\"listings\",\"is_write_index\":true}}]}"));

    static JsonNode Mapping => JsonNode.Parse(ElasticsearchRequests.IndexDefinition())!;

    [Test]
    public void TheMappingRecordsTheIndexFormat() =>
        Assert.That(Mapping["mappings"]!["_meta"]![IndexFormat.Key]!.GetValue<int>(), Is.EqualTo(IndexFormat.Version));

    [Test]
    public void TheResultWindowCoversTheDeepestPageTheApiServes() => Assert.That(
        Mapping["settings"]!["max_result_window"]!.GetValue<int>(),
        Is.EqualTo(Marketplace.Api.Http.Cursors.MaxOffset + Marketplace.Api.Listings.ListingSearch.MaxLimit));

    [Test]
    public void AOneNodeClusterStaysGreenAndASecondNodeHoldsACopy() => Assert.Multiple(() =>
    {
        Assert.That(Mapping["settings"]!["auto_expand_replicas"]!.GetValue<string>(), Is.EqualTo("0-1"));
        Assert.That(Mapping["settings"]!["number_of_replicas"], Is.Null, "auto_expand_replicas sets it");
    });

    [Test]
    public void TheVersionNamedToOperatorsIsTheOneTheDockerfileBuilds() => Assert.That(
        File.ReadLines(RepositoryFiles.Find("docker/elasticsearch/Dockerfile")).Single(l => l.StartsWith("ARG ES_VERSION=")),
        Is.EqualTo("ARG ES_VERSION=" + ElasticsearchListingIndex.BuiltVersion));

    [Test]
    public void TheMappingUsesTheSameAnalysisChainsAsTheEmbeddedEngine()
    {
        var analysis = Mapping["settings"]!["analysis"]!;
        Assert.Multiple(() =>
        {
            Assert.That(analysis["analyzer"]!["listing_zh"]!["tokenizer"]!.GetValue<string>(), Is.EqualTo("smartcn_tokenizer"));
            Assert.That(analysis["analyzer"]!["listing_zh"]!["filter"]!.AsArray().Select(f => f!.GetValue<string>()),
                Is.EqualTo(new[] { "lowercase", "porter_stem", "smartcn_stop", "listing_zh_stop" }));
            Assert.That(analysis["filter"]!["listing_zh_stop"]!["stopwords"]!.AsArray().Select(f => f!.GetValue<string>()),
                Is.EqualTo(ListingAnalyzers.ChineseStopWords), "the same particles as the embedded engine");
            Assert.That(analysis["analyzer"]!["listing_ru"]!["type"]!.GetValue<string>(), Is.EqualTo("russian"));
            Assert.That(analysis["analyzer"]!["listing_concepts"]!["tokenizer"]!.GetValue<string>(), Is.EqualTo("whitespace"));
            Assert.That(Mapping["settings"]!["number_of_shards"]!.GetValue<int>(), Is.EqualTo(1), "one shard: idf as in the embedded engine");
            Assert.That(Mapping["settings"]!["similarity"]!["default"]!["k1"]!.GetValue<double>(), Is.EqualTo(1.2));
        });
    }

    [Test]
    public void EveryIndexedFieldIsMappedWithItsLanguagesAnalyzer()
    {
        var properties = Mapping["mappings"]!["properties"]!.AsObject();
        var sent = JsonNode.Parse(ElasticsearchRequests.ToJson(ElasticsearchRequests.Document(Document with
        {
            Texts = new Dictionary<string, LanguageText> { ["zh"] = new("泵", "泵。", ["泵"]), ["ru"] = new("Насос", "Насос.", []), ["en"] = new("Pump", "Pump.", []) },
        })))!.AsObject();
        Assert.That(sent.Select(p => p.Key), Is.SubsetOf(properties.Select(p => p.Key)), "dynamic: strict refuses unmapped fields");
        foreach (var language in Languages.All)
            foreach (var field in ListingFields.TextFields)
                Assert.That(properties[ListingFields.Text(field, language)]!["analyzer"]!.GetValue<string>(), Is.EqualTo("listing_" + language));
        Assert.That(Mapping["mappings"]!["dynamic"]!.GetValue<string>(), Is.EqualTo("strict"));
    }

    [Test]
    public void BulkBodiesStayUnderTheirSizeWhateverTheCountAndEveryDocumentIsSentOnce()
    {
        var big = new string('泵', 40_000); // 120 KB of UTF-8
        var documents = Enumerable.Range(0, 50).Select(i => new ListingDocument($"d{i}", "offer", "org", "published", "new-energy", 5, "CN",
            ["licensing"], new Dictionary<string, LanguageText> { ["zh"] = new("泵", big, []) }, DateTimeOffset.UnixEpoch, null, 1)).ToList();

        var bodies = ElasticsearchRequests.BulkUpsert("listings", documents, 1_000_000).ToList();

        Assert.That(bodies, Has.Count.GreaterThan(1));
        Assert.That(bodies.Select(b => System.Text.Encoding.UTF8.GetByteCount(b)), Has.All.LessThanOrEqualTo(1_000_000));
        Assert.That(string.Concat(bodies), Is.EqualTo(ElasticsearchRequests.BulkUpsert("listings", documents)));
    }
}
