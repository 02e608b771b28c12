using System.Net.Http.Json;
using Dapper;
using Marketplace.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Tests.Alerts;

/// <summary>
/// match.found: a new listing is matched in reverse against subscribers' listings of the other kind;
/// each pair at or above the subscriber's threshold is alerted once (again only when the score rises),
/// never to the listing's own organization, never to an organization that did not subscribe.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class MatchAlertTests(string provider)
{
    static readonly Dictionary<string, string> Fast = new()
    {
        ["Marketplace:Webhooks:AllowPrivateTargets"] = "true",
        ["Marketplace:Webhooks:PollSeconds"] = "0.05",
    };

    static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    static async Task Subscribe(HttpClient client, string organizationId, double threshold) =>
        await Read<SubscriptionResponse>(await client.PutAsJsonAsync($"/api/v1/subscriptions/{organizationId}",
            new { types = new[] { EventTypes.MatchFound, EventTypes.InterestReceived }, threshold }));

    static async Task<IReadOnlyList<EventResponse>> Found(HttpClient client) =>
        (await Read<EventFeed>(await client.GetAsync($"/api/v1/events?type={EventTypes.MatchFound}"))).Items;

    /// <summary>Waits until every queued listing was matched for alerts.</summary>
    static async Task Settled(TestApp app) =>
        Assert.That(await TestApp.WaitUntil(async () =>
        {
            await using var connection = await app.Db.OpenAsync(CancellationToken.None);
            return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM match_outbox") == 0
                   && await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM index_outbox") == 0;
        }, 30), Is.True, "the match alerts caught up");

    [Test]
    public async Task ANewOfferIsPushedToTheSubscribersWhoseNeedsItMatchesOncePerPair()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new TestApp(provider, settings: Fast);
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (pickyId, picky) = await app.OrganizationWithKey("member", "挑剔的买方");
        var (_, quiet) = await app.OrganizationWithKey("member", "未订阅企业");
        var (sellerId, seller) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        await Subscribe(buyer, buyerId, 0.1);
        await Subscribe(picky, pickyId, 0.99);
        var webhook = await Read<WebhookResponse>(await buyer.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, types = new[] { EventTypes.MatchFound } }));
        var need = await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump")));
        await Read<ListingResponse>(await picky.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump-picky")));
        await Read<ListingResponse>(await quiet.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump-quiet")));
        await Settled(app);
        Assert.That(await Found(buyer), Is.Empty, "needs among themselves match nothing");

        var offer = await Read<ListingResponse>(await seller.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        await Settled(app);
        var alert = (await Found(buyer)).Single();
        Assert.That((alert.OrganizationId, alert.Data.Listing!.Id, alert.Data.Match!.Id, alert.Data.Match.OrganizationId),
            Is.EqualTo((buyerId, need.Id, offer.Id, sellerId)), "the buyer's need, the new offer");
        Assert.That(alert.Data.Score, Is.GreaterThanOrEqualTo(0.1).And.LessThan(0.99));
        Assert.That(alert.Data.Explanation, Is.Not.Null, "why they match, without a second call");
        Assert.That(alert.Data.Match.Title.Ru, Is.EqualTo(offer.Title.Ru));
        Assert.That(await Found(picky), Is.Empty, "below its threshold");
        Assert.That(await Found(quiet), Is.Empty, "not subscribed");
        Assert.That(await Found(seller), Is.Empty, "the offer's own side is not alerted of its own listing");
        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(!receiver.Requests.IsEmpty)), Is.True);
        var pushed = receiver.Requests.Single();
        Assert.That((pushed.Id, WebhookReceiver.Verify(webhook.Secret!, pushed)), Is.EqualTo((alert.Id, true)));

        // The same offer changed a little: the pair's score does not rise by the margin, no second alert.
        var changed = Samples.RussianPump("ru-pump");
        changed["trl"] = 7;
        await Read<ListingResponse>(await seller.PostAsJsonAsync("/api/v1/offers", changed));
        await Settled(app);
        Assert.That(await Found(buyer), Has.Count.EqualTo(1), "once per pair");

        // The buyer's own offer alerts the buyer of nothing.
        var own = Samples.RussianPump("own-pump");
        await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/offers", own));
        await Settled(app);
        Assert.That(await Found(buyer), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ADailySubscriptionGetsTheDaysMatchesInOneDigest()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new TestApp(provider, settings: Fast);
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, seller) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        await Read<SubscriptionResponse>(await buyer.PutAsJsonAsync($"/api/v1/subscriptions/{buyerId}",
            new { types = new[] { EventTypes.MatchFound }, threshold = 0.1, delivery = AlertDelivery.Daily }));
        var webhook = await Read<WebhookResponse>(await buyer.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url }));
        await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump")));
        var offer = await Read<ListingResponse>(await seller.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        await Settled(app);
        var found = (await Found(buyer)).Single();
        Assert.That(found.Data.Match!.Id, Is.EqualTo(offer.Id), "recorded in the feed as it happens");
        await Task.Delay(500);
        Assert.That(receiver.Requests, Is.Empty, "but not pushed one by one");

        var events = app.Services.GetRequiredService<Api.Alerts.EventStore>();
        Assert.That(await events.DigestAsync(DateTimeOffset.UtcNow.AddDays(1), 0, CancellationToken.None), Is.EqualTo(1));
        Assert.That(await events.DigestAsync(DateTimeOffset.UtcNow.AddDays(1), 0, CancellationToken.None), Is.Zero, "one digest a day");
        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(!receiver.Requests.IsEmpty)), Is.True);
        var pushed = receiver.Requests.Single();
        Assert.That(WebhookReceiver.Verify(webhook.Secret!, pushed), Is.True);
        var digest = System.Text.Json.JsonSerializer.Deserialize<EventResponse>(pushed.Body, Json.Options)!;
        Assert.That((digest.Type, digest.Data.Matches!.Select(m => m.Id)), Is.EqualTo((EventTypes.MatchDigest, new[] { found.Id })));
        Assert.That((await Read<EventFeed>(await buyer.GetAsync($"/api/v1/events?type={EventTypes.MatchDigest}"))).Items.Single().Id, Is.EqualTo(digest.Id));
    }

    [Test]
    public async Task WithoutSubscribersNothingIsQueued()
    {
        using var app = new TestApp(provider, settings: Fast);
        var (_, seller) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        await Read<ListingResponse>(await seller.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        await Settled(app);
        await using var connection = await app.Db.OpenAsync(CancellationToken.None);
        Assert.That(await connection.ExecuteScalarAsync<long?>("SELECT alerted_version FROM listings"), Is.Null,
            "no subscriber: the listing was not even queued");
    }
}
