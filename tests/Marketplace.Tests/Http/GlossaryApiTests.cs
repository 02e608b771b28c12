using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Contracts;
using static Marketplace.Tests.Http.MatchFixtures;

namespace Marketplace.Tests.Http;

public sealed class GlossaryApiTests
{
    // Castor oil: not in the shipped glossary, so only a curator's term can bridge these two listings.
    static Dictionary<string, object?> ZhCastorNeed() => Listing("蓖麻油精炼", "需要蓖麻油精炼工艺。", null, null,
        "applied-chemistry", 6, ["licensing"], "CN");

    static Dictionary<string, object?> RuCastorOffer() => Listing(null, null, "Рафинирование касторового масла",
        "Установка рафинирования касторового масла.", "applied-chemistry", 7, ["licensing"], "RU");

    [Test]
    public async Task AgenciesReadTheGlossaryOthersMayNot()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var (_, member) = await app.OrganizationWithKey("member");

        var page = (await agency.GetFromJsonAsync<Page<GlossaryTermResponse>>("/api/v1/glossary?field=new-energy&limit=100", Json.Options))!;
        var search = (await agency.GetFromJsonAsync<Page<GlossaryTermResponse>>("/api/v1/glossary?q=" + Uri.EscapeDataString("燃料电池"), Json.Options))!;

        Assert.That(page.Items, Has.Count.EqualTo(100));
        Assert.That(page.Items.Select(t => t.Field), Has.All.EqualTo("new-energy"));
        Assert.That(page.NextCursor, Is.Not.Null);
        Assert.That(search.Items.Select(t => t.Ru), Does.Contain("топливный элемент"));
        Assert.That((await member.GetAsync("/api/v1/glossary")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await app.Anonymous().GetAsync("/api/v1/glossary")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AddingATermReindexesTheListingsItTouchesAndBridgesThem()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var offer = await Post(app.Admin(), "offers", RuCastorOffer());
        var need = await Post(app.Admin(), "needs", ZhCastorNeed());
        var before = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options))!;
        Assert.That(before.Items.Where(i => i.Listing.Id == offer).SelectMany(i => i.Explanation!.SharedConcepts), Is.Empty);

        var added = await agency.PostAsJsonAsync("/api/v1/glossary",
            new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло", ruSynonyms = new[] { "рициновое масло" } });

        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var term = (await added.Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;
        Assert.That(term.ListingsReindexed, Is.EqualTo(2));
        var after = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options))!;
        Assert.That(after.Items[0].Listing.Id, Is.EqualTo(offer));
        Assert.That(after.Items[0].Explanation!.SharedConcepts.Single(c => c.Id == term.Id).Ru, Is.EqualTo("касторовое масло"));
    }

    [Test]
    public async Task ChangingAndRemovingATermHonourIfMatchAndReindex()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var offer = await Post(app.Admin(), "offers", RuCastorOffer());
        var need = await Post(app.Admin(), "needs", ZhCastorNeed());
        var term = (await (await agency.PostAsJsonAsync("/api/v1/glossary",
            new { field = "applied-chemistry", zh = "蓖麻油", ru = "льняное масло" })).Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/glossary/{term.Id}")
        {
            Content = JsonContent.Create(new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" }),
        };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));
        Assert.That((await agency.SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));

        var fix = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/glossary/{term.Id}")
        {
            Content = JsonContent.Create(new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" }),
        };
        fix.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{term.Version}\""));
        var fixedTerm = (await (await agency.SendAsync(fix)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;
        Assert.That((fixedTerm.Ru, fixedTerm.Version), Is.EqualTo(("касторовое масло", term.Version + 1)));
        Assert.That(await SharedWith(app, need, offer), Does.Contain(term.Id));

        Assert.That((await agency.DeleteAsync($"/api/v1/glossary/{term.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await SharedWith(app, need, offer), Does.Not.Contain(term.Id));
        Assert.That((await agency.GetAsync($"/api/v1/glossary/{term.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    static async Task<IEnumerable<string>> SharedWith(TestApp app, string need, string offer)
    {
        var matches = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options))!;
        return matches.Items.Where(i => i.Listing.Id == offer).SelectMany(i => i.Explanation!.SharedConcepts).Select(c => c.Id);
    }

    [TestCase("{\"field\":\"applied-chemistry\",\"zh\":\"castor\",\"ru\":\"касторовое масло\"}", "zh")]
    [TestCase("{\"field\":\"applied-chemistry\",\"zh\":\"蓖麻油\",\"ru\":\"蓖麻油\"}", "ru")]
    [TestCase("{\"field\":\"oils\",\"zh\":\"蓖麻油\",\"ru\":\"касторовое масло\"}", "field")]
    public async Task ABadTermIsNamed(string json, string field)
    {
        using var app = new TestApp();
        var response = await app.Admin().PostAsync("/api/v1/glossary", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"\"{field}\""));
    }

    [Test]
    public async Task AChineseNameBelongsToOneConceptOnly()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        agency.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh");
        var castor = new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" };
        var first = (await (await agency.PostAsJsonAsync("/api/v1/glossary", castor)).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;

        var again = await agency.PostAsJsonAsync("/api/v1/glossary", castor);
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("蓖麻油").And.Contain(first.Id).And.Contain("已属于概念"));
        var synonym = await agency.PostAsJsonAsync("/api/v1/glossary",
            new { field = "applied-chemistry", zh = "蓖麻籽油", ru = "рициновое масло", zhSynonyms = new[] { "ＰＬＧＡ", "蓖麻油" } });
        Assert.That(synonym.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a synonym counts as a name");
        var shipped = await agency.PostAsJsonAsync("/api/v1/glossary", new { field = "new-materials", zh = "碳化硼", ru = "карбид бора" });
        Assert.That(shipped.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a shipped concept's name too");
        var other = (await (await agency.PostAsJsonAsync("/api/v1/glossary", new { field = "applied-chemistry", zh = "桐油", ru = "тунговое масло" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;
        var taking = await agency.PutAsJsonAsync($"/api/v1/glossary/{other.Id}", new { field = "applied-chemistry", zh = "蓖麻油", ru = "тунговое масло" });
        Assert.That(taking.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a change may not take another concept's name");
        var own = await agency.PutAsJsonAsync($"/api/v1/glossary/{first.Id}",
            new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло", ruSynonyms = new[] { "рициновое масло" } });
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a concept keeps its own name when it changes");

        var listed = (await agency.GetFromJsonAsync<Page<GlossaryTermResponse>>("/api/v1/glossary?q=" + Uri.EscapeDataString("蓖麻"), Json.Options))!;
        Assert.That(listed.Items.Select(t => t.Id), Is.EqualTo(new[] { first.Id }));
    }
}
