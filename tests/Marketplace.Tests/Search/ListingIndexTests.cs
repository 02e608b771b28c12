using Marketplace.Search;
using Marketplace.Search.Elasticsearch;
using Marketplace.Search.Lucene;

namespace Marketplace.Tests.Search;

/// <summary>
/// The engine-level suite: what every <see cref="IListingIndex"/> must do, whichever engine is behind it.
/// It runs on the embedded engine always, and on Elasticsearch when <c>MARKETPLACE_ES_URL</c> names a node.
/// </summary>
[TestFixture("lucene")]
[TestFixture("elasticsearch")]
public sealed class ListingIndexTests(string engine)
{
    string _dir = "";
    IListingIndex _index = null!;

    [SetUp]
    public async Task Open()
    {
        _dir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        _index = engine switch
        {
            "lucene" => LuceneListingIndex.Open(_dir),
            "elasticsearch" => await ElasticsearchListingIndex.OpenAsync(new ElasticsearchOptions
            {
                Url = Environment.GetEnvironmentVariable(ElasticsearchNode.Variable) is { Length: > 0 } url
                    ? url
                    : Skip($"Elasticsearch tests skipped: set {ElasticsearchNode.Variable} to a node's URL (with the analysis-smartcn plugin)."),
                Index = "mp-test-" + Guid.NewGuid().ToString("N")[..12],
            }),
            _ => throw new ArgumentException(engine),
        };
    }

    static string Skip(string reason)
    {
        Assert.Ignore(reason);
        return "";
    }

    [TearDown]
    public async Task Close()
    {
        if (_index is ElasticsearchListingIndex elasticsearch) await elasticsearch.DropAsync();
        _index?.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    static ListingDocument Doc(string id, string language, string title, string description, string field = "transport-machinery",
        int trl = 6, string country = "CN", string kind = "offer", string status = "published", params string[] forms) =>
        new(id, kind, "org", status, field, trl, country, forms.Length == 0 ? ["licensing"] : forms,
            new Dictionary<string, LanguageText> { [language] = new(title, description, []) }, DateTimeOffset.UtcNow);

    Task<SearchResult> Search(string? text, ListingFilter? filter = null) =>
        _index.SearchAsync(new SearchQuery(text, filter ?? new ListingFilter { Kind = "offer" }, 0, 10));

    static string[] Ids(SearchResult result) => result.Hits.Select(h => h.Id).ToArray();

    [Test]
    public async Task AnUpsertIsSearchableWhenItReturns()
    {
        await _index.UpsertAsync([Doc("a", "ru", "Насос высокого напора", "Погружной насос для шахт.")]);
        Assert.That(Ids(await Search("насосы")), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task TitleMatchesRankAboveDescriptionMatches()
    {
        await _index.UpsertAsync(
        [
            Doc("desc", "zh", "矿山排水设备", "本设备包括潜水泵和控制柜。"),
            Doc("title", "zh", "高扬程潜水泵", "用于深井供水。"),
        ]);
        Assert.That(Ids(await Search("潜水泵")), Is.EqualTo(new[] { "title", "desc" }));
    }

    [Test]
    public async Task UpsertReplaces()
    {
        await _index.UpsertAsync([Doc("a", "ru", "Насос", "Насос для шахт.")]);
        var write = await _index.UpsertAsync([Doc("a", "ru", "Лазер", "Лазерная сварка.")]);
        Assert.That((write.Indexed, write.Refused), Is.EqualTo((1L, Array.Empty<RefusedDocument>())));
        Assert.That(Ids(await Search("насос")), Is.Empty);
        Assert.That(Ids(await Search("лазерный")), Is.EqualTo(new[] { "a" }));
        Assert.That(await _index.CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task AnOlderVersionNeverReplacesANewerOne()
    {
        await _index.UpsertAsync([Doc("a", "ru", "Лазер", "Лазерная сварка.") with { Version = 2 }]);
        await _index.UpsertAsync([Doc("a", "ru", "Насос", "Насос для шахт.") with { Version = 1 }]);
        Assert.That(Ids(await Search("насос")), Is.Empty);
        Assert.That(Ids(await Search("лазер")), Is.EqualTo(new[] { "a" }));
        await _index.UpsertAsync([Doc("a", "ru", "Насос", "Насос.") with { Version = 3 }, Doc("a", "ru", "Лазер", "Лазер.") with { Version = 2 }]);
        Assert.That(Ids(await Search("насос")), Is.EqualTo(new[] { "a" }), "within one batch the highest version wins");
    }

    [Test]
    public async Task FiltersAndFacets()
    {
        await _index.UpsertAsync(
        [
            Doc("1", "ru", "Насос", "Насос.", trl: 4, country: "RU", forms: ["licensing", "joint-rnd"]),
            Doc("2", "ru", "Насос", "Насос.", trl: 8, country: "RU", forms: ["transfer"]),
            Doc("3", "zh", "水泵", "水泵。", trl: 9, country: "CN", field: "agriculture"),
            Doc("4", "ru", "Насос", "Насос.", kind: "need"),
            Doc("5", "ru", "Насос", "Насос.", status: "draft"),
        ]);

        var all = await Search(null);
        Assert.That(all.Total, Is.EqualTo(3));
        Assert.That(all.Facets!.Country, Is.EquivalentTo(new Dictionary<string, long> { ["RU"] = 2, ["CN"] = 1 }));
        Assert.That(all.Facets.CooperationForm, Is.EquivalentTo(new Dictionary<string, long> { ["licensing"] = 2, ["joint-rnd"] = 1, ["transfer"] = 1 }));
        Assert.That(all.Facets.Trl, Is.EquivalentTo(new Dictionary<string, long> { ["4"] = 1, ["8"] = 1, ["9"] = 1 }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", TrlMin = 5 })), Is.EquivalentTo(new[] { "2", "3" }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", TrlMax = 8, Country = "RU" })), Is.EquivalentTo(new[] { "1", "2" }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", CooperationForms = ["joint-rnd", "transfer"] })), Is.EquivalentTo(new[] { "1", "2" }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", Field = "agriculture" })), Is.EqualTo(new[] { "3" }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", Language = "zh" })), Is.EqualTo(new[] { "3" }));
        Assert.That(Ids(await Search("насос", new ListingFilter { Kind = "need" })), Is.EqualTo(new[] { "4" }));
        Assert.That(Ids(await Search("насос", new ListingFilter { Kind = "offer", Status = "draft" })), Is.EqualTo(new[] { "5" }));
    }

    [Test]
    public async Task AFilterOnOrganizationsTakesAnyNumberOfThem()
    {
        await _index.UpsertAsync(
        [
            Doc("1", "ru", "Насос", "Насос.") with { OrganizationId = "org_a" },
            Doc("2", "ru", "Насос", "Насос.") with { OrganizationId = "org_b" },
            Doc("3", "ru", "Насос", "Насос.") with { OrganizationId = "org_c" },
        ]);
        Assert.That(Ids(await Search("насос", new ListingFilter { Kind = "offer", Organizations = ["org_a", "org_c"] })), Is.EquivalentTo(new[] { "1", "3" }));
        Assert.That(Ids(await Search(null, new ListingFilter { Kind = "offer", Organizations = [] })), Is.Empty, "of no organization: nothing");
        // More organizations than a boolean query takes clauses (1,024): subscribers can be thousands.
        var many = Enumerable.Range(0, 3000).Select(i => $"org_{i}").Append("org_b").ToList();
        Assert.That(Ids(await Search("насос", new ListingFilter { Kind = "offer", Organizations = many })), Is.EqualTo(new[] { "2" }));
    }

    [Test]
    public async Task AQueryOfOnlyStopWordsFindsNothing()
    {
        await _index.UpsertAsync([Doc("a", "zh", "的设备", "的。")]);
        Assert.That((await Search("的 и")).Total, Is.Zero);
    }

    [Test]
    public async Task RebuildReplacesEverything()
    {
        await _index.UpsertAsync([Doc("old", "ru", "Насос", "Насос.")]);
        var write = await _index.RebuildAsync(Docs(Doc("new1", "zh", "水泵", "水泵。"), Doc("new2", "ru", "Лазер", "Лазер.")));
        Assert.That((write.Indexed, write.Refused.Count), Is.EqualTo((2L, 0)));
        Assert.That(await _index.CountAsync(), Is.EqualTo(2));
        Assert.That(Ids(await Search("насос")), Is.Empty);
    }

    /// <summary>A term longer than Lucene's limit of 32,766 bytes: both engines refuse the document that holds it.</summary>
    static ListingDocument Immense(string id) => Doc(id, "ru", "Насос", "Насос.") with { Country = new string('R', 40_000) };

    [Test]
    public async Task ADocumentTheEngineRefusesIsReportedAloneAndTheOthersAreWritten()
    {
        await _index.UpsertAsync([Doc("bad", "ru", "Старый насос", "Прежняя версия.")]);

        var write = await _index.UpsertAsync([Doc("a", "ru", "Насос", "Насос для шахт."), Immense("bad") with { Version = 2 }, Doc("b", "zh", "水泵", "水泵。")]);

        Assert.That(write.Indexed, Is.EqualTo(2));
        Assert.That(write.Refused.Select(r => r.Id), Is.EqualTo(new[] { "bad" }));
        Assert.That(write.Refused[0].Reason, Is.Not.Empty);
        Assert.That(Ids(await Search("насос")), Is.EquivalentTo(new[] { "a" }), "the refused listing's older copy is gone too");
        Assert.That(await _index.CountAsync(), Is.EqualTo(2));
    }

    [Test]
    public async Task ARebuildSetsARefusedDocumentAside()
    {
        var write = await _index.RebuildAsync(Docs(Doc("a", "ru", "Насос", "Насос."), Immense("bad"), Doc("b", "ru", "Лазер", "Лазер.")));
        Assert.That((write.Indexed, write.Refused.Select(r => r.Id)), Is.EqualTo((2L, new[] { "bad" })));
        Assert.That(await _index.CountAsync(), Is.EqualTo(2));
    }

    [TestCase(false, TestName = "A rebuild that fails half way")]
    [TestCase(true, TestName = "A rebuild cancelled half way")]
    public async Task AnInterruptedRebuildLeavesTheOldIndexAndAWorkingEngine(bool cancel)
    {
        await _index.UpsertAsync([Doc("old", "ru", "Насос", "Насос для шахт.")]);
        using var stop = new CancellationTokenSource();

        async IAsyncEnumerable<ListingDocument> Broken([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < 3; i++)
            {
                await Task.Yield();
                yield return Doc($"new{i}", "zh", "水泵", "水泵。");
            }
            if (cancel) await stop.CancelAsync();
            ct.ThrowIfCancellationRequested();
            throw new InvalidOperationException("the database went away (injected)");
        }

        var failure = await Assert.CatchAsync(() => _index.RebuildAsync(Broken(), stop.Token));
        Assert.That(failure, cancel ? Is.InstanceOf<OperationCanceledException>() : Is.InstanceOf<InvalidOperationException>());

        Assert.That(Ids(await Search("насос")), Is.EqualTo(new[] { "old" }), "searches still see the old index");
        Assert.That(await _index.CountAsync(), Is.EqualTo(1));
        await _index.UpsertAsync([Doc("after", "ru", "Лазер", "Лазерная сварка.")]);
        Assert.That(Ids(await Search("лазер")), Is.EqualTo(new[] { "after" }), "the engine takes writes again");
        var again = await _index.RebuildAsync(Docs(Doc("x", "ru", "Насос", "Насос."), Doc("y", "ru", "Лазер", "Лазер.")));
        Assert.That(again.Indexed, Is.EqualTo(2), "and rebuilds");
        Assert.That(await _index.CountAsync(), Is.EqualTo(2));
    }

    static ListingDocument WithConcepts(ListingDocument d, params string[] concepts) => d with { Concepts = concepts };

    [Test]
    public async Task AMatchFindsACrossLanguageListingThroughSharedConcepts()
    {
        await _index.UpsertAsync(
        [
            WithConcepts(Doc("fuel-ru", "ru", "Энергоустановка на топливных элементах", "Водородные топливные элементы для базовых станций."), "ne-1", "ne-2"),
            WithConcepts(Doc("laser-zh", "zh", "激光熔覆", "轧辊激光熔覆修复。"), "lo-1"),
            WithConcepts(Doc("pump-zh", "zh", "潜水泵", "矿山排水用潜水泵。"), "gn-9"),
        ]);
        var need = new Dictionary<string, LanguageText> { ["zh"] = new("氢燃料电池备用电源", "通信基站需要燃料电池备用电源。", []) };

        var result = await _index.MatchAsync(new MatchQuery(need, [new WeightedConcept("ne-1", 1.4), new WeightedConcept("ne-2", 1)],
            new ListingFilter { Kind = "offer" }, 10));

        Assert.That(result.Hits[0].Id, Is.EqualTo("fuel-ru"));
        Assert.That(result.Hits[0].Text, Is.Zero);
        Assert.That(result.Hits[0].Concepts, Is.GreaterThan(0.5).And.LessThanOrEqualTo(1));
        Assert.That(result.Hits.Where(h => h.Id != "fuel-ru").Select(h => h.Concepts), Has.All.Zero);
    }

    [Test]
    public async Task AMatchScoresSharedWordsInACommonLanguage()
    {
        await _index.UpsertAsync(
        [
            Doc("pump", "zh", "高扬程潜水泵", "深井供水和矿山排水用高扬程潜水泵。"),
            Doc("laser", "zh", "激光熔覆设备", "轧辊激光熔覆修复。"),
            Doc("ru", "ru", "Насос", "Погружной насос."),
        ]);
        var need = new Dictionary<string, LanguageText> { ["zh"] = new("矿山排水潜水泵", "需要矿山排水用潜水泵。", []) };

        var result = await _index.MatchAsync(new MatchQuery(need, [], new ListingFilter { Kind = "offer" }, 10));

        Assert.That(result.Hits[0].Id, Is.EqualTo("pump"));
        Assert.That(result.Hits[0].Text, Is.GreaterThan(0.3).And.LessThanOrEqualTo(1));
        Assert.That(result.Hits.Select(h => h.Id), Does.Not.Contain("ru"));
    }

    [Test]
    public async Task TranslatedWordsFindACrossLanguageListingEachWordScoredAsItsBestTranslation()
    {
        await _index.UpsertAsync(
        [
            Doc("uv-ru", "ru", "Установка ультрафиолетового обеззараживания воды", "Обеззараживание питьевой воды ультрафиолетом без реагентов."),
            Doc("both-ru", "ru", "Дезинфекция и обеззараживание", "Дезинфекция помещений; обеззараживание поверхностей."),
            Doc("pump-ru", "ru", "Насос", "Погружной насос для шахт."),
            Doc("uv-zh", "zh", "紫外线消毒", "饮用水紫外线消毒。"),
        ]);
        var need = new Dictionary<string, LanguageText> { ["zh"] = new("饮用水紫外线消毒设备", "需要饮用水紫外线消毒设备。", []) };
        IReadOnlyList<TermGroup> groups =
        [
            new("消毒", ["дезинфекция", "обеззараживание", "стерилизация"], 3),
            new("饮用水", ["питьевая вода"], 3),
            new("紫外线", ["ультрафиолет", "ультрафиолетовое излучение"], 3),
            new("设备", ["оборудование", "установка"], 3),
        ];

        var result = await _index.MatchAsync(new MatchQuery(need, [], new ListingFilter { Kind = "offer" }, 10,
            new Dictionary<string, IReadOnlyList<TermGroup>> { ["ru"] = groups }));

        var hits = result.Hits.ToDictionary(h => h.Id);
        Assert.That(result.Hits[0].Id, Is.EqualTo("uv-ru"));
        Assert.That(hits["uv-ru"].Translated, Is.GreaterThan(0.5).And.LessThanOrEqualTo(1));
        Assert.That(hits["uv-ru"].Text, Is.Zero, "no word in common");
        Assert.That(hits["uv-zh"].Translated, Is.Zero, "a listing in the source's language is judged by its own words");
        Assert.That(hits.ContainsKey("pump-ru"), Is.False);
        // Two translations of one word count as that word once: they do not outweigh the whole need.
        Assert.That(hits["both-ru"].Translated, Is.LessThan(hits["uv-ru"].Translated));
        var disinfection = result.QueryGroups!["ru"].Single(g => g.Source == "消毒");
        Assert.That(disinfection.Alternatives, Is.EquivalentTo(new[] { "дезинфекция", "обеззараживание" }), "a translation no listing holds is dropped");
        Assert.That(result.QueryGroups["ru"].Select(g => g.Source), Does.Contain("饮用水"), "a two-word translation is one alternative");
    }

    [Test]
    public async Task AMatchSeesWritesMadeAfterThePreviousMatch()
    {
        await _index.UpsertAsync([Doc("pump-1", "zh", "潜水泵", "矿山排水用潜水泵。"), Doc("laser", "zh", "激光熔覆", "轧辊激光熔覆修复。")]);
        var need = new MatchQuery(new Dictionary<string, LanguageText> { ["zh"] = new("潜水泵", "需要矿山排水用潜水泵。", []) }, [],
            new ListingFilter { Kind = "offer" }, 10);
        Assert.That((await _index.MatchAsync(need)).Hits.Select(h => h.Id), Is.EqualTo(new[] { "pump-1" }));

        await _index.UpsertAsync([Doc("pump-2", "zh", "高扬程潜水泵", "矿山排水潜水泵，深井供水。"),
            Doc("pump-1", "zh", "潜水泵", "矿山排水用潜水泵。", status: "archived")]);

        Assert.That((await _index.MatchAsync(need)).Hits.Select(h => h.Id), Is.EqualTo(new[] { "pump-2" }));
    }

    [Test]
    public async Task MentionsFindTheConceptAndItsNamesAsPhrases()
    {
        await _index.UpsertAsync(
        [
            WithConcepts(Doc("carrier", "zh", "蓖麻", "蓖麻种植。"), "ch-1"),
            Doc("phrase", "ru", "Касторовое масло", "Рафинирование касторового масла."),
            Doc("other", "ru", "Масло", "Касторовый завод и масло отдельно."),
        ]);
        var ids = await _index.FindMentionsAsync("ch-1", new Dictionary<string, IReadOnlyList<string>> { ["ru"] = ["касторовое масло"] });
        Assert.That(ids, Is.EquivalentTo(new[] { "carrier", "phrase" }));
    }

    static async IAsyncEnumerable<ListingDocument> Docs(params ListingDocument[] docs)
    {
        foreach (var d in docs)
        {
            await Task.Yield();
            yield return d;
        }
    }
}
