using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>Full-text search in Russian and Chinese, filters, facets and paging, through HTTP.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class SearchApiTests(string provider)
{
    static async Task<SearchPage> Search(HttpClient client, string collection, string query) =>
        (await client.GetFromJsonAsync<SearchPage>($"/api/v1/{collection}?{query}", Json.Options))!;

    static async Task<ListingResponse> Post(HttpClient client, string collection, object body) =>
        (await (await client.PostAsJsonAsync($"/api/v1/{collection}", body)).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;

    [Test]
    public async Task RussianMorphologyPluralFindsTheSingular()
    {
        using var app = new TestApp(provider);
        var pump = await Post(app.Admin(), "offers", Samples.RussianPump());
        await Post(app.Admin(), "offers", Samples.BilingualLaser());

        var found = await Search(app.Anonymous(), "offers", "q=" + Uri.EscapeDataString("насосы"));

        Assert.That(found.Items.Select(i => i.Id), Is.EqualTo(new[] { pump.Id }));
    }

    [Test]
    public async Task ChineseSegmentationFindsAWordInsideALongerCompound()
    {
        using var app = new TestApp(provider);
        var pump = await Post(app.Admin(), "needs", Samples.ChinesePump());
        await Post(app.Admin(), "needs", Samples.ChineseCeramics());

        var found = await Search(app.Anonymous(), "needs", "q=" + Uri.EscapeDataString("潜水泵"));

        Assert.That(found.Items.Select(i => i.Id), Is.EqualTo(new[] { pump.Id }));
    }

    [Test]
    public async Task AMixedChineseAndRussianQueryFindsListingsInBothLanguages()
    {
        using var app = new TestApp(provider);
        var zh = await Post(app.Admin(), "offers", Samples.ChinesePump());
        var ru = await Post(app.Admin(), "offers", Samples.RussianPump());
        await Post(app.Admin(), "offers", Samples.ChineseCeramics());

        var found = await Search(app.Anonymous(), "offers", "q=" + Uri.EscapeDataString("潜水泵 насосы"));

        Assert.That(found.Items.Select(i => i.Id), Is.EquivalentTo(new[] { zh.Id, ru.Id }));
    }

    [Test]
    public async Task FiltersNarrowAndFacetsCountTheResult()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin();
        await Post(admin, "offers", Samples.RussianPump());      // RU, trl 8, licensing + co-production
        await Post(admin, "offers", Samples.ChinesePump());      // CN, trl 6, joint-rnd
        await Post(admin, "offers", Samples.ChineseCeramics());  // CN, trl 7, licensing + transfer
        await Post(admin, "offers", Samples.BilingualLaser());   // RU, trl 9, zh + ru

        var all = await Search(app.Anonymous(), "offers", "");
        Assert.Multiple(() =>
        {
            Assert.That(all.Total, Is.EqualTo(4));
            Assert.That(all.Facets.Country, Is.EquivalentTo(new Dictionary<string, long> { ["RU"] = 2, ["CN"] = 2 }));
            Assert.That(all.Facets.Field["transport-machinery"], Is.EqualTo(2));
            Assert.That(all.Facets.CooperationForm["licensing"], Is.EqualTo(2));
            Assert.That(all.Facets.Trl["9"], Is.EqualTo(1));
        });

        Assert.That((await Search(app.Anonymous(), "offers", "country=CN")).Total, Is.EqualTo(2));
        Assert.That((await Search(app.Anonymous(), "offers", "trlMin=7&trlMax=8")).Total, Is.EqualTo(2));
        Assert.That((await Search(app.Anonymous(), "offers", "form=transfer&form=joint-rnd")).Total, Is.EqualTo(2));
        Assert.That((await Search(app.Anonymous(), "offers", "field=lasers-optics")).Items.Single().Trl, Is.EqualTo(9));
        Assert.That((await Search(app.Anonymous(), "offers", "lang=ru")).Total, Is.EqualTo(2));
        var narrowed = await Search(app.Anonymous(), "offers", "q=" + Uri.EscapeDataString("泵 насос") + "&country=RU");
        Assert.That(narrowed.Items.Single().Title.Ru, Does.StartWith("Насос"));
        Assert.That(narrowed.Facets.Country, Is.EquivalentTo(new Dictionary<string, long> { ["RU"] = 1 }));
    }

    [Test]
    public async Task ACursorWalksEveryListingOnce()
    {
        using var app = new TestApp(provider);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await Post(app.Admin(), "offers", Samples.RussianPump($"p-{i}"))).Id);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Search(app.Anonymous(), "offers", "limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            Assert.That(page.Items, Has.Count.LessThanOrEqualTo(2));
            Assert.That(page.Total, Is.EqualTo(5));
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        } while (cursor is not null);

        Assert.That(seen, Is.EquivalentTo(ids));
        Assert.That(seen, Is.Unique);
    }

    [Test]
    public async Task AnUpdateIsSearchableByItsNewWordsAndNoLongerByItsOldOnes()
    {
        using var app = new TestApp(provider);
        var offer = await Post(app.Admin(), "offers", Samples.RussianPump("x"));
        var laser = Samples.BilingualLaser("x");

        (await app.Admin().PutAsJsonAsync($"/api/v1/offers/{offer.Id}", laser)).EnsureSuccessStatusCode();

        Assert.That((await Search(app.Anonymous(), "offers", "q=" + Uri.EscapeDataString("насос"))).Total, Is.Zero);
        Assert.That((await Search(app.Anonymous(), "offers", "q=" + Uri.EscapeDataString("激光焊接"))).Items.Single().Id, Is.EqualTo(offer.Id));
    }
}
