using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Marketplace.Contracts;
using static Marketplace.Tests.Http.MatchFixtures;

namespace Marketplace.Tests.Http;

/// <summary>The word lexicon over HTTP: reading, curating, and a curated word changing matches at once, without re-indexing.</summary>
public sealed class LexiconApiTests
{
    // Castor oil is in neither the shipped lexicon nor the glossary: 蓖麻油 falls into 麻 · 油 until a curator adds it.
    static Dictionary<string, object?> ZhCastorNeed() => Listing("蓖麻油精炼", "需要蓖麻油精炼工艺。", null, null,
        "applied-chemistry", 6, ["licensing"], "CN");

    static Dictionary<string, object?> RuCastorOffer() => Listing(null, null, "Рафинирование касторового масла",
        "Установка рафинирования касторового масла.", "applied-chemistry", 7, ["licensing"], "RU");

    static Dictionary<string, object?> RuSunflowerOffer() => Listing(null, null, "Рафинирование подсолнечного масла",
        "Установка рафинирования подсолнечного масла.", "applied-chemistry", 7, ["licensing"], "RU");

    static object Castor(string[]? ru = null) => new
    {
        area = "field-applied-chemistry", zh = new[] { "蓖麻油" }, ru = ru ?? ["касторовое масло", "рициновое масло"], en = new[] { "castor oil" },
    };

    [Test]
    public async Task AgenciesReadTheLexiconOthersMayNot()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var (_, member) = await app.OrganizationWithKey("member");

        var page = (await agency.GetFromJsonAsync<Page<LexiconEntryResponse>>("/api/v1/lexicon?area=general-machines&limit=100", Json.Options))!;
        var search = (await agency.GetFromJsonAsync<Page<LexiconEntryResponse>>("/api/v1/lexicon?q=" + Uri.EscapeDataString("обеззараживание"), Json.Options))!;
        var part = await agency.GetAsync("/api/v1/lexicon/" + Uri.EscapeDataString("general-machines:零件"));

        Assert.That(page.Items, Has.Count.EqualTo(100));
        Assert.That(page.Items.Select(e => e.Area), Has.All.EqualTo("general-machines"));
        Assert.That(page.Total, Is.GreaterThan(500));
        Assert.That(search.Items.SelectMany(e => e.Zh), Does.Contain("消毒"));
        Assert.That(part.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var entry = (await part.Content.ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!;
        Assert.That((entry.Ru[0], entry.Origin, part.Headers.ETag?.Tag), Is.EqualTo(("деталь", "shipped", $"\"{entry.Version}\"")));
        Assert.That((await member.GetAsync("/api/v1/lexicon")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await app.Anonymous().GetAsync("/api/v1/lexicon")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var unknown = await agency.GetAsync("/api/v1/lexicon?area=oils");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("field-applied-chemistry"), "a 400 lists the areas");
    }

    [Test]
    public async Task ACuratedWordTranslatesAtOnceWithoutReindexingAndItsRemovalToo()
    {
        var engine = new FailingIndex();
        using var app = engine.App();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var sunflower = await Post(app.Admin(), "offers", RuSunflowerOffer());
        var castor = await Post(app.Admin(), "offers", RuCastorOffer());
        var need = await Post(app.Admin(), "needs", ZhCastorNeed());
        var before = await Match(app, need);
        Assert.That(TranslatedFor(before, castor), Does.Not.Contain("蓖麻油"));
        Assert.That(TranslatedFor(before, castor), Does.Contain("精炼"), "the shipped lexicon already bridges refining");

        engine.Down = true; // the engine refuses every write from here: a translation must need none
        var added = await agency.PostAsJsonAsync("/api/v1/lexicon", Castor());
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var entry = (await added.Content.ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!;
        Assert.That(added.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/lexicon/{entry.Id}"));

        var after = await Match(app, need);
        Assert.That(after.Items.Select(i => i.Listing.Id), Is.EqualTo(new[] { castor, sunflower }), "castor oil now ranks first");
        var castorAfter = after.Items[0].Explanation!;
        Assert.That(castorAfter.TranslatedTerms, Does.Contain(new TranslatedTermPair("蓖麻油", "касторовое масло")));
        Assert.That(castorAfter.Translated, Is.GreaterThan(after.Items[1].Explanation!.Translated), "sunflower oil lacks the castor oil the need asks for");
        Assert.That(TranslatedFor(after, sunflower), Does.Not.Contain("蓖麻油"));

        Assert.That((await agency.DeleteAsync($"/api/v1/lexicon/{entry.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(TranslatedFor(await Match(app, need), castor), Does.Not.Contain("蓖麻油"));
        Assert.That((await agency.GetAsync($"/api/v1/lexicon/{entry.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task ChangesHonourIfMatch()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        var entry = (await (await agency.PostAsJsonAsync("/api/v1/lexicon", Castor(["льняное масло"]))).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!;

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/lexicon/{entry.Id}") { Content = JsonContent.Create(Castor()) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));
        Assert.That((await agency.SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));

        var fix = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/lexicon/{entry.Id}") { Content = JsonContent.Create(Castor()) };
        fix.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{entry.Version}\""));
        var changed = await agency.SendAsync(fix);
        var fixedEntry = (await changed.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!;
        Assert.That((fixedEntry.Ru[0], fixedEntry.Version, changed.Headers.ETag?.Tag),
            Is.EqualTo(("касторовое масло", entry.Version + 1, $"\"{entry.Version + 1}\"")));

        var staleDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/lexicon/{entry.Id}");
        staleDelete.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{entry.Version}\""));
        Assert.That((await agency.SendAsync(staleDelete)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await agency.GetAsync($"/api/v1/lexicon/{entry.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AChineseFormHasOneEntryPerArea()
    {
        using var app = new TestApp();
        var (_, agency) = await app.OrganizationWithKey("agency");
        agency.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru");

        var shipped = await agency.PostAsJsonAsync("/api/v1/lexicon", new { area = "general-machines", zh = new[] { "零件" }, ru = new[] { "деталь" } });
        Assert.That(shipped.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await shipped.Content.ReadAsStringAsync(), Does.Contain("general-machines:零件").And.Contain("уже есть статья"));
        var elsewhere = await agency.PostAsJsonAsync("/api/v1/lexicon", new { area = "field-applied-chemistry", zh = new[] { "零件" }, ru = new[] { "деталь" } });
        Assert.That(elsewhere.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another area may have its own sense");

        var shippedEntry = (await agency.GetFromJsonAsync<LexiconEntryResponse>("/api/v1/lexicon/" + Uri.EscapeDataString("general-machines:零件"), Json.Options))!;
        var own = await agency.PutAsJsonAsync("/api/v1/lexicon/" + Uri.EscapeDataString(shippedEntry.Id),
            new { area = "general-machines", zh = new[] { "零件" }, ru = new[] { "деталь", "запчасть" } });
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.OK), "an entry keeps its own form when it changes");
        Assert.That((await own.Content.ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!.Origin, Is.EqualTo("curated"));
    }

    [TestCase("{\"area\":\"field-applied-chemistry\",\"zh\":[\"castor\"],\"ru\":[\"касторовое масло\"]}", "zh")]
    [TestCase("{\"area\":\"field-applied-chemistry\",\"zh\":[\"蓖麻油\"],\"ru\":[\"蓖麻油\"]}", "ru")]
    [TestCase("{\"area\":\"field-applied-chemistry\",\"zh\":[\"蓖麻油\"],\"ru\":[\"касторовое масло\"],\"en\":[\"касторовое\"]}", "en")]
    [TestCase("{\"area\":\"field-applied-chemistry\",\"zh\":[\"蓖麻油\"],\"ru\":[\"касторовое; масло\"]}", "ru")]
    [TestCase("{\"area\":\"applied-chemistry\",\"zh\":[\"蓖麻油\"],\"ru\":[\"касторовое масло\"]}", "area")]
    [TestCase("{\"area\":\"field-applied-chemistry\",\"zh\":[],\"ru\":[\"касторовое масло\"]}", "zh")]
    public async Task ABadEntryIsNamedAndChangesNothing(string json, string field)
    {
        using var app = new TestApp();
        var response = await app.Admin().PostAsync("/api/v1/lexicon", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain($"\"{field}"));
        var curated = (await app.Admin().GetFromJsonAsync<Page<LexiconEntryResponse>>("/api/v1/lexicon?q=" + Uri.EscapeDataString("蓖麻"), Json.Options))!;
        Assert.That(curated.Items, Is.Empty);
    }

    static async Task<MatchResponse> Match(TestApp app, string need) =>
        (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options))!;

    static IEnumerable<string> TranslatedFor(MatchResponse matches, string listing) =>
        matches.Items.Where(i => i.Listing.Id == listing).SelectMany(i => i.Explanation!.TranslatedTerms).Select(t => t.Source);
}
