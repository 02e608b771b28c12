using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Tests.Http;

/// <summary>
/// A published listing expires after its lifetime unless its owner renews it: the sweep takes it out of
/// search and matching, idempotently; a renewal publishes it again for another lifetime.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ListingExpiryTests(string provider)
{
    static async Task Backdate(TestApp app, string id)
    {
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("UPDATE listings SET expires_at = @past WHERE id = @id", new { id, past = DateTimeOffset.UtcNow.AddDays(-1) });
    }

    static Task<IReadOnlyList<ListingRow>> Sweep(TestApp app) =>
        app.Services.GetRequiredService<ListingExpiry>().SweepAsync(DateTimeOffset.UtcNow, CancellationToken.None);

    [Test]
    public async Task ItsOrganizationIsToldOnceBeforeAListingExpiresAndAgainAfterARenewal()
    {
        using var app = new TestApp(provider, settings: new Dictionary<string, string>
        {
            ["Marketplace:Listings:LifetimeDays"] = "10", ["Marketplace:Listings:ExpiringNoticeDays"] = "14", ["Marketplace:Listings:SweepSeconds"] = "3600",
        });
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (_, other) = await app.OrganizationWithKey("member", "淄博泵业");
        var offer = (await (await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-expiring"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        (await other.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-far"))).EnsureSuccessStatusCode();
        var farAway = Samples.RussianPump("ru-draft");
        farAway["status"] = "draft";
        (await owner.PostAsJsonAsync("/api/v1/offers", farAway)).EnsureSuccessStatusCode();

        await Sweep(app);
        await Sweep(app);
        var feed = (await owner.GetFromJsonAsync<EventFeed>("/api/v1/events", Json.Options))!;
        var notice = feed.Items.Single();
        Assert.That((notice.Type, notice.OrganizationId, notice.Data.Listing!.Id), Is.EqualTo((EventTypes.ListingExpiring, ownerId, offer.Id)),
            "one notice for the published listing, none for the draft, however many sweeps");
        Assert.That(notice.Data.ExpiresAt, Is.EqualTo(offer.ExpiresAt));
        Assert.That((await other.GetFromJsonAsync<EventFeed>("/api/v1/events", Json.Options))!.Items.Select(e => e.Type),
            Is.EqualTo(new[] { EventTypes.ListingExpiring }), "the other organization hears of its own listing only");

        await Backdate(app, offer.Id);
        await Sweep(app);
        var renewed = (await (await owner.PostAsync($"/api/v1/offers/{offer.Id}/renew", null)).Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        await Sweep(app);
        var again = (await owner.GetFromJsonAsync<EventFeed>($"/api/v1/events?after={feed.Next}", Json.Options))!;
        Assert.That(again.Items.Select(e => (e.Type, e.Data.ExpiresAt)), Is.EqualTo(new[] { (EventTypes.ListingExpiring, renewed.ExpiresAt) }),
            "a renewal's new expiry date is announced in its turn");
    }

    [Test]
    public async Task AnExpiredOfferLeavesSearchAndMatchingUntilItsOwnerRenewsIt()
    {
        using var app = new TestApp(provider);
        var (_, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var offer = (await (await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-expiring"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        Assert.That(offer.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(365)).Within(TimeSpan.FromMinutes(5)), "a year by default");
        var need = await MatchFixtures.Post(app.Admin(), "needs", Samples.ChinesePump("zh-pump"));

        await Backdate(app, offer.Id);
        Assert.That((await Sweep(app)).Select(r => r.Id), Is.EqualTo(new[] { offer.Id }));
        Assert.That(await Sweep(app), Is.Empty, "a second sweep changes nothing");

        Assert.That((await app.Anonymous().GetAsync($"/api/v1/offers/{offer.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var own = (await owner.GetFromJsonAsync<ListingResponse>($"/api/v1/offers/{offer.Id}", Json.Options))!;
        Assert.That((own.Status, own.ExpiresAt, own.Version), Is.EqualTo((ListingStatus.Expired, (DateTimeOffset?)null, 2L)));
        var search = (await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options))!;
        Assert.That(search.Items, Is.Empty);
        var matches = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches", Json.Options))!;
        Assert.That(matches.Items.Select(i => i.Listing.Id), Does.Not.Contain(offer.Id));

        var renewed = await owner.PostAsync($"/api/v1/offers/{offer.Id}/renew", null);
        Assert.That(renewed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(renewed.Headers.ETag?.Tag, Is.EqualTo("\"3\""));
        var back = (await renewed.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        Assert.That((back.Status, back.Version), Is.EqualTo((ListingStatus.Published, 3L)));
        Assert.That(back.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(365)).Within(TimeSpan.FromMinutes(5)));
        matches = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches", Json.Options))!;
        Assert.That(matches.Items.First().Listing.Id, Is.EqualTo(offer.Id), "matched again at once");
    }

    [Test]
    public async Task AWriteThatKeepsAListingPublishedKeepsItsExpiryAndADraftHasNone()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin();
        var created = (await (await admin.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-1"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        var changed = Samples.RussianPump("ru-1");
        changed["trl"] = 9;
        var updated = (await (await admin.PutAsJsonAsync($"/api/v1/offers/{created.Id}", changed)).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        Assert.That(updated.ExpiresAt, Is.EqualTo(created.ExpiresAt), "an edit is no renewal");

        changed["status"] = "draft";
        var draft = (await (await admin.PutAsJsonAsync($"/api/v1/offers/{created.Id}", changed)).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        Assert.That(draft.ExpiresAt, Is.Null);
        var refused = await app.Admin("zh").PostAsync($"/api/v1/offers/{created.Id}/renew", null);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(),
            Is.EqualTo("只有已发布或已过期的条目可以续期；该条目当前为草稿。"));
    }

    [Test]
    public async Task OnlyItsOrganizationItsAgencyAndAdminsRenewAListing()
    {
        using var app = new TestApp(provider);
        var (_, owner) = await app.OrganizationWithKey("member");
        var (_, stranger) = await app.OrganizationWithKey("member");
        var (_, agency) = await app.OrganizationWithKey("agency");
        var offer = (await (await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-own"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        Assert.That((await stranger.PostAsync($"/api/v1/offers/{offer.Id}/renew", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await agency.PostAsync($"/api/v1/offers/{offer.Id}/renew", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "an agency that does not serve the organization");
        Assert.That((await app.Anonymous().PostAsync($"/api/v1/offers/{offer.Id}/renew", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await owner.PostAsync($"/api/v1/offers/{offer.Id}/renew", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
