using Dapper;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts;
using static Marketplace.Tests.Http.MatchFixtures;

namespace Marketplace.Tests.Http;

public sealed class MatchesApiTests
{
    static async Task<MatchResponse> Matches(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<MatchResponse>(path, Json.Options))!;

    [Test]
    public async Task AChineseOnlyNeedFindsARussianOnlyOfferFirst()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var offer = await Post(admin, "offers", RuFuelCellOffer());
        await Post(admin, "offers", ZhLaserCladdingOffer());
        await Post(admin, "offers", RuArmorOffer());
        await Post(admin, "offers", ZhHeatPumpOffer());
        var need = await Post(admin, "needs", ZhFuelCellNeed());

        var matches = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");

        var first = matches.Items[0];
        Assert.That(first.Listing.Id, Is.EqualTo(offer));
        Assert.That(first.Rank, Is.EqualTo(1));
        Assert.That(first.Explanation!.Text, Is.Zero, "no common language");
        // 氢燃料电池 is the longest glossary term in the need, «водородный топливный элемент» in the offer.
        var fuelCell = first.Explanation.SharedConcepts.Single(c => c.Zh == "氢燃料电池");
        Assert.That(fuelCell.Ru, Is.EqualTo("водородный топливный элемент"));
        Assert.That(matches.Items.Select(i => i.Score), Is.Ordered.Descending);
        Assert.That(matches.Items.Select(i => i.Score), Has.All.InRange(0.0, 1.0));
    }

    [Test]
    public async Task AnOfferFindsItsNeedsAcrossLanguages()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var offer = await Post(admin, "offers", RuArmorOffer());
        var armorNeed = await Post(admin, "needs", ZhArmorNeed());
        await Post(admin, "needs", ZhFuelCellNeed());
        await Post(admin, "needs", RuHeatingNeed());

        var matches = await Matches(app.Anonymous(), $"/api/v1/offers/{offer}/matches");

        Assert.That(matches.Items[0].Listing.Id, Is.EqualTo(armorNeed));
        Assert.That(matches.Items[0].Listing.Kind, Is.EqualTo("need"));
        Assert.That(matches.Items[0].Explanation, Is.Null, "explanations only on request");
    }

    [Test]
    public async Task SameLanguageRankingPutsTheSameTechnologyFirst()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var heatPump = await Post(admin, "offers", ZhHeatPumpOffer());
        await Post(admin, "offers", ZhLaserCladdingOffer());
        var need = await Post(admin, "needs", Listing("严寒地区空气源热泵供暖", "农村住宅冬季供暖需要低温空气源热泵。", null, null,
            "new-energy", 7, ["licensing"], "CN"));

        var matches = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");

        Assert.That(matches.Items[0].Listing.Id, Is.EqualTo(heatPump));
        // SmartCn splits 热泵 into 热|泵; the words both listings share are listed as the engine indexed them.
        Assert.That(matches.Items[0].Explanation!.MatchedTerms["zh"], Does.Contain("空气").And.Contain("泵"));
        Assert.That(matches.Items[0].Explanation!.Text, Is.GreaterThan(0));
    }

    [Test]
    public async Task AnExactOfferInTheOtherLanguageOutranksASameLanguageNeighbourOfItsFamily()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        // The need and the neighbour share their language and the head noun 风机 (fan); the exact offer shares neither, only the technology.
        var neighbour = await Post(admin, "offers", Listing("隧道通风大型轴流风机", "大型轴流风机，用于公路隧道和地铁通风，风量大，噪声低，可正反转运行。", null, null,
            "transport-machinery", 8, ["co-production"], "CN"));
        var exact = await Post(admin, "offers", Listing(null, null, "Высоконапорный центробежный вентилятор для котлов",
            "Центробежный вентилятор высокого давления для тяги котельных установок; рабочее колесо рассчитано на горячие дымовые газы.",
            "transport-machinery", 8, ["co-production"], "RU"));
        var need = await Post(admin, "needs", Listing("锅炉引风用高压离心风机", "需要高压离心风机用于燃煤锅炉引风，耐高温烟气。", null, null,
            "transport-machinery", 7, ["co-production"], "CN"));

        var matches = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");

        Assert.That(matches.Items.Select(i => i.Listing.Id).Take(2), Is.EqualTo(new[] { exact, neighbour }));
        var why = matches.Items[0].Explanation!;
        Assert.That(why.Text, Is.Zero, "no common language");
        Assert.That(why.TranslatedTerms.Select(t => (t.Source, t.Target)), Does.Contain(("离心风机", "центробежный вентилятор")));
    }

    [Test]
    public async Task SharedFiguresLiftAPairAndAreNamedAlsoForRowsStoredBeforeRankingFacts()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        Dictionary<string, object?> Offer(string power) => Listing(null, null, "Резервная энергоустановка на водородных топливных элементах",
            $"Энергоустановка {power} на топливных элементах с протонообменной мембраной заменяет дизель-генераторы на базовых станциях связи.",
            "new-energy", 7, ["licensing"], "RU");
        var other = await Post(admin, "offers", Offer("20 кВт"));
        var same = await Post(admin, "offers", Offer("5 кВт"));
        var need = await Post(admin, "needs", Listing("通信基站氢燃料电池备用电源", "需要5千瓦氢燃料电池备用电源，替代通信基站的柴油发电机。", null, null,
            "new-energy", 7, ["licensing"], "CN"));

        async Task Check(string when)
        {
            var matches = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");
            Assert.That(matches.Items.Select(i => i.Listing.Id), Is.EqualTo(new[] { same, other }), when);
            Assert.That(matches.Items[0].Explanation!.SharedFigures, Is.EqualTo(new[] { "5千瓦" }), when);
            Assert.That(matches.Items[0].Explanation!.Figures, Is.EqualTo(1), when);
            Assert.That(matches.Items[1].Explanation!.SharedFigures, Is.Empty, when);
        }

        await Check("facts stored with the body");
        await using (var connection = await app.Db.OpenAsync())
        {
            Assert.That(await connection.ExecuteScalarAsync<string>("SELECT ranking FROM listings WHERE id = @same", new { same }),
                Does.Contain("\"figures\":[{\"unit\":\"W\",\"low\":5000"));
            // Facts are read from the column: stored facts saying 20 kW make the 5 kW offer share no figure.
            var twenty = await connection.ExecuteScalarAsync<string>("SELECT ranking FROM listings WHERE id = @other", new { other });
            await connection.ExecuteAsync("UPDATE listings SET ranking = @twenty WHERE id = @same", new { twenty, same });
        }
        var misled = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");
        Assert.That(misled.Items.Select(i => i.Explanation!.SharedFigures.Count), Is.EqualTo(new[] { 0, 0 }));

        // Facts of another version, or none (rows stored before them), are read from the body.
        await using (var connection = await app.Db.OpenAsync())
            await connection.ExecuteAsync("UPDATE listings SET ranking = REPLACE(ranking, '\"version\":1', '\"version\":0')");
        await Check("facts of another version read from the body");
        await using (var connection = await app.Db.OpenAsync())
            await connection.ExecuteAsync("UPDATE listings SET ranking = NULL");
        await Check("no facts: read from the body");
    }

    [Test]
    public async Task ConflictsLowerAPairAndAreNamedButDoNotHideIt()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var compatible = await Post(admin, "offers", RuFuelCellOffer(trl: 8, forms: ["equity"]));
        var conflicting = await Post(admin, "offers", RuFuelCellOffer(trl: 5, forms: ["training"]));
        var need = await Post(admin, "needs", ZhFuelCellNeed(trl: 7, forms: ["equity"]));

        var matches = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?explain=true");

        Assert.That(matches.Items.Select(i => i.Listing.Id), Is.EqualTo(new[] { compatible, conflicting }));
        Assert.That(matches.Items[0].Explanation!.Conflicts, Is.Empty);
        Assert.That(matches.Items[1].Explanation!.Conflicts, Is.EquivalentTo(new[] { "trl-below-minimum", "no-common-cooperation-form" }));
        Assert.That(matches.Items[1].Explanation!.Compatibility, Is.LessThan(1));
    }

    [Test]
    public async Task OnlyPublishedListingsMatchAndFiltersApply()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var draft = RuFuelCellOffer();
        draft["status"] = "draft";
        await Post(admin, "offers", draft);
        var published = await Post(admin, "offers", RuFuelCellOffer());
        await Post(admin, "offers", ZhHeatPumpOffer());
        var need = await Post(admin, "needs", ZhFuelCellNeed());

        var all = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches");
        var russian = await Matches(app.Anonymous(), $"/api/v1/needs/{need}/matches?country=RU&limit=1");

        Assert.That(all.Items.Select(i => i.Listing.Id), Does.Contain(published));
        Assert.That(all.Items, Has.Count.EqualTo(2), "the draft is not a candidate");
        Assert.That(russian.Items.Single().Listing.Id, Is.EqualTo(published));
    }

    [Test]
    public async Task AMissingListingIs404ProblemJson()
    {
        using var app = new TestApp();
        var response = await app.Anonymous().GetAsync("/api/v1/needs/nd_missing/matches");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task AnAdHocMatchNeedsAnAgencyKeyAndStoresNothing()
    {
        using var app = new TestApp();
        var offer = await Post(app.Admin(), "offers", RuFuelCellOffer());
        var (_, member) = await app.OrganizationWithKey("member");
        var (_, agency) = await app.OrganizationWithKey("agency");
        var body = ZhFuelCellNeed();
        body["target"] = "offers";

        Assert.That((await app.Anonymous().PostAsJsonAsync("/api/v1/match", body)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await member.PostAsJsonAsync("/api/v1/match", body)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var response = await agency.PostAsJsonAsync("/api/v1/match?explain=true", body);
        var matches = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<MatchResponse>(Json.Options))!;

        Assert.That(matches.Items[0].Listing.Id, Is.EqualTo(offer));
        Assert.That((await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/needs", Json.Options))!.Total, Is.Zero);
    }

    [TestCase("target", "\"people\"")]
    [TestCase("target", "null")]
    [TestCase("trl", "0")]
    public async Task AnAdHocMatchValidatesItsBody(string member, string json)
    {
        using var app = new TestApp();
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(ZhFuelCellNeed()))!.AsObject();
        body["target"] = "offers";
        body[member] = System.Text.Json.Nodes.JsonNode.Parse(json);
        var response = await app.Admin().PostAsync("/api/v1/match",
            new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"\"{member}\""));
    }

    [Test]
    public async Task TheTaxonomyListsFieldsFormsAndTrlInThreeLanguages()
    {
        using var app = new TestApp();
        var taxonomy = (await app.Anonymous().GetFromJsonAsync<TaxonomyResponse>("/api/v1/taxonomy", Json.Options))!;
        Assert.That(taxonomy.Fields, Has.Count.EqualTo(17));
        Assert.That(taxonomy.CooperationForms, Has.Count.EqualTo(10));
        Assert.That(taxonomy.Trl.Select(t => t.Level), Is.EqualTo(Enumerable.Range(1, 9)));
        Assert.That(taxonomy.Fields.Concat(taxonomy.CooperationForms).Select(f => f.Label),
            Has.All.Matches<LocalizedText?>(l => l!.Zh != null && l.Ru != null && l.En != null));
        Assert.That(taxonomy.Fields.Select(f => f.Description), Has.All.Not.Empty);
    }
}
