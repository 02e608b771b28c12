using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Alerts;

/// <summary>
/// Events of the workflow reach the feed and a real receiver, signed per Standard Webhooks; a
/// receiver that is down gets them once it is back; every attempt is logged; an endpoint failing for
/// too long is disabled and enabled again by its owner; nobody sees another organization's events,
/// endpoints or deliveries.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class AlertsApiTests(string provider)
{
    static readonly Dictionary<string, string> Fast = new()
    {
        ["Marketplace:Webhooks:AllowPrivateTargets"] = "true",
        ["Marketplace:Webhooks:FirstRetrySeconds"] = "0.2",
        ["Marketplace:Webhooks:PollSeconds"] = "0.05",
    };

    static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    static HttpRequestMessage Send(HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    static object Message => new { zh = "我们希望引进贵方的潜水泵技术。", ru = "Мы хотели бы получить лицензию на ваш насос." };

    static async Task<EventFeed> FeedOf(HttpClient client, string query = "") => await Read<EventFeed>(await client.GetAsync($"/api/v1/events{query}"));

    [Test]
    public async Task WorkflowEventsReachTheFeedAndASignedWebhookOfEachSide()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new TestApp(provider, settings: Fast);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, stranger) = await app.OrganizationWithKey("member", "无关企业");
        var webhook = await Read<WebhookResponse>(await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, description = "ERP" }));
        Assert.That(webhook.Secret, Does.StartWith("whsec_"));
        Assert.That((webhook.OrganizationId, webhook.Enabled, webhook.Types), Is.EqualTo((ownerId, true, (IReadOnlyList<string>?)null)));
        Assert.That((await Read<WebhookResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}"))).Secret, Is.Null, "the secret is shown once");

        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        var interest = await Read<InterestResponse>(await buyer.PostAsJsonAsync("/api/v1/interests", new { listingId = offer.Id, message = Message }));

        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(!receiver.Requests.IsEmpty)), Is.True, "the owner's receiver got the interest");
        var pushed = receiver.Requests.Single();
        Assert.That(WebhookReceiver.Verify(webhook.Secret!, pushed), Is.True, "signed per Standard Webhooks with the endpoint's secret");
        Assert.That(WebhookReceiver.Verify("whsec_" + Convert.ToBase64String(new byte[32]), pushed), Is.False, "and not with another");
        var body = JsonNode.Parse(pushed.Body)!;
        Assert.That((body["id"]!.GetValue<string>(), body["type"]!.GetValue<string>(), body["organizationId"]!.GetValue<string>()),
            Is.EqualTo((pushed.Id, EventTypes.InterestReceived, ownerId)));
        Assert.That(body["data"]!["interest"]!["id"]!.GetValue<string>(), Is.EqualTo(interest.Id));
        Assert.That(body["data"]!["listing"]!["title"]!["ru"]!.GetValue<string>(), Is.Not.Empty, "the listing's summary, no second call needed");

        var ownerFeed = await FeedOf(owner);
        Assert.That(ownerFeed.Items.Select(e => (e.Id, e.Type)), Is.EqualTo(new[] { (pushed.Id, EventTypes.InterestReceived) }),
            "the feed holds the same event, with the id the webhook carried");
        Assert.That((await FeedOf(buyer)).Items, Is.Empty, "the interested side is not told of its own interest");
        Assert.That((await FeedOf(stranger)).Items, Is.Empty);
        Assert.That((await stranger.GetAsync($"/api/v1/events/{pushed.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await FeedOf(stranger, $"?organizationId={ownerId}")).Items, Is.Empty, "naming another organization shows nothing");

        (await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/interests/{interest.Id}/accept"))).EnsureSuccessStatusCode();
        var buyerFeed = await FeedOf(buyer);
        Assert.That(buyerFeed.Items.Select(e => e.Type), Is.EquivalentTo(new[] { EventTypes.InterestAnswered, EventTypes.IntroductionChanged }));
        var introduction = buyerFeed.Items.Single(e => e.Type == EventTypes.IntroductionChanged).Data.Introduction!;
        Assert.That((introduction.Status, introduction.OwnerOrganizationId, introduction.OrganizationId, introduction.By),
            Is.EqualTo((IntroductionStatus.Introduced, ownerId, buyerId, ownerId)));

        var next = await FeedOf(owner, $"?after={ownerFeed.Next}");
        Assert.That(next.Items.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.IntroductionChanged }), "after the cursor: only what is newer");
        Assert.That((await FeedOf(owner, $"?after={next.Next}")).Items, Is.Empty);
        Assert.That((await FeedOf(owner, $"?after={next.Next}")).Next, Is.EqualTo(next.Next), "nothing new: the same cursor");
        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(receiver.Requests.Count == 2)), Is.True);
        Assert.That(receiver.Requests.All(r => WebhookReceiver.Verify(webhook.Secret!, r)), Is.True);

        var deliveries = await Read<Page<DeliveryResponse>>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries"));
        Assert.That(deliveries.Items.Select(d => (d.Status, d.Attempts, d.LastStatusCode)),
            Is.EqualTo(new[] { (DeliveryStatus.Delivered, 1, (int?)200), (DeliveryStatus.Delivered, 1, (int?)200) }));
        Assert.That((await stranger.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Read<Page<WebhookResponse>>(await stranger.GetAsync("/api/v1/webhooks"))).Total, Is.Zero);
    }

    [Test]
    public async Task AReceiverThatIsDownGetsTheEventOnceItIsBackAndEveryAttemptIsLogged()
    {
        var down = await WebhookReceiver.StartAsync();
        var port = down.Port;
        var url = down.Url;
        await down.DisposeAsync();
        using var app = new TestApp(provider, settings: Fast);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (_, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var webhook = await Read<WebhookResponse>(await owner.PostAsJsonAsync("/api/v1/webhooks",
            new { url, types = new[] { EventTypes.InterestReceived } }));
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        (await buyer.PostAsJsonAsync("/api/v1/interests", new { listingId = offer.Id, message = Message })).EnsureSuccessStatusCode();

        async Task<DeliveryResponse> Delivery()
        {
            var page = await Read<Page<DeliveryResponse>>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries"));
            return await Read<DeliveryResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries/{page.Items.Single().Id}"));
        }
        Assert.That(await TestApp.WaitUntil(async () => (await Delivery()).Attempts >= 2), Is.True, "retried while the receiver is down");
        var failing = await Delivery();
        Assert.That((failing.Status, failing.LastStatusCode), Is.EqualTo((DeliveryStatus.Pending, (int?)null)));
        Assert.That(failing.AttemptLog!.All(a => a.StatusCode is null && a.Error is { Length: > 0 }), Is.True, "each refused connection is logged");
        Assert.That((await Read<WebhookResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}"))).FailingSince, Is.Not.Null);

        await using var back = await WebhookReceiver.StartAsync(port);
        back.Answer = () => back.Requests.Count == 1 ? 503 : 204;
        Assert.That(await TestApp.WaitUntil(async () => (await Delivery()).Status == DeliveryStatus.Delivered, 30), Is.True, "delivered once it is back");
        var delivered = await Delivery();
        Assert.That(delivered.AttemptLog!.Select(a => a.Number), Is.EqualTo(Enumerable.Range(1, delivered.Attempts)));
        Assert.That(delivered.AttemptLog!.TakeLast(2).Select(a => a.StatusCode), Is.EqualTo(new int?[] { 503, 204 }));
        Assert.That(delivered.AttemptLog!.All(a => a.LatencyMs >= 0), Is.True);
        Assert.That(back.Requests.Select(r => r.Id).Distinct().Count(), Is.EqualTo(1), "every attempt carries the same webhook-id");
        Assert.That((await Read<WebhookResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}"))).FailingSince, Is.Null,
            "a success ends the failing time");

        var redelivered = await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/webhooks/{webhook.Id}/deliveries/{delivered.Id}/redeliver"));
        Assert.That(redelivered.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(back.Requests.Count == 3)), Is.True, "sent again on demand");
        Assert.That(back.Requests.Last().Id, Is.EqualTo(back.Requests.First().Id), "with the same webhook-id, for de-duplication");
        Assert.That(ownerId, Is.Not.Empty);
    }

    [Test]
    public async Task ARotatedSecretSignsWhatFollowsAndPausingChangesNothingElse()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var app = new TestApp(provider, settings: Fast);
        var (_, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (_, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var webhook = await Read<WebhookResponse>(await owner.PostAsJsonAsync("/api/v1/webhooks",
            new { url = receiver.Url, types = new[] { EventTypes.InterestReceived }, description = "ERP · 询价 · заявки" }));

        var rotated = await Read<WebhookResponse>(await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/webhooks/{webhook.Id}/secret", ifMatch: webhook.ETag())));
        Assert.That(rotated.Secret, Does.StartWith("whsec_").And.Not.EqualTo(webhook.Secret), "a new secret, shown in this answer");
        var paused = await Read<WebhookResponse>(await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/webhooks/{webhook.Id}/disable", ifMatch: rotated.ETag())));
        var resumed = await Read<WebhookResponse>(await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/webhooks/{webhook.Id}/enable", ifMatch: paused.ETag())));
        foreach (var (changed, step) in new[] { (rotated, "rotated"), (paused, "paused"), (resumed, "enabled again") })
        {
            Assert.That((changed.Url, changed.Description), Is.EqualTo((webhook.Url, webhook.Description)), step);
            Assert.That(changed.Types, Is.EqualTo(webhook.Types), step);
        }
        Assert.That((paused.Enabled, paused.DisabledReason, resumed.Enabled, resumed.Version), Is.EqualTo((false, "owner", true, webhook.Version + 3)));

        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        (await buyer.PostAsJsonAsync("/api/v1/interests", new { listingId = offer.Id, message = Message })).EnsureSuccessStatusCode();
        Assert.That(await TestApp.WaitUntil(() => Task.FromResult(!receiver.Requests.IsEmpty)), Is.True);
        var pushed = receiver.Requests.Single();
        Assert.That((WebhookReceiver.Verify(rotated.Secret!, pushed), WebhookReceiver.Verify(webhook.Secret!, pushed)), Is.EqualTo((true, false)),
            "signed with the new secret, no longer with the old");
    }

    [Test]
    public async Task AnEndpointFailingTooLongIsDisabledAndItsOwnerEnablesItAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = () => 500;
        var settings = new Dictionary<string, string>(Fast) { ["Marketplace:Webhooks:DisableAfterHours"] = "0.0003" }; // about a second
        using var app = new TestApp(provider, settings: settings);
        var (_, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (_, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var webhook = await Read<WebhookResponse>(await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url }));
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        (await buyer.PostAsJsonAsync("/api/v1/interests", new { listingId = offer.Id, message = Message })).EnsureSuccessStatusCode();

        Assert.That(await TestApp.WaitUntil(async () =>
            !(await Read<WebhookResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}"))).Enabled, 30), Is.True);
        var disabled = await Read<WebhookResponse>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}"));
        Assert.That(disabled.DisabledReason, Is.EqualTo("failing"));
        var attempts = receiver.Requests.Count;
        await Task.Delay(1000);
        Assert.That(receiver.Requests.Count, Is.EqualTo(attempts), "nothing is sent to a disabled endpoint");

        receiver.Answer = () => 200;
        var enabled = await Read<WebhookResponse>(await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/webhooks/{webhook.Id}/enable", ifMatch: disabled.ETag())));
        Assert.That((enabled.Enabled, enabled.FailingSince, enabled.DisabledReason), Is.EqualTo((true, (DateTimeOffset?)null, (string?)null)));
        Assert.That(await TestApp.WaitUntil(async () =>
            (await Read<Page<DeliveryResponse>>(await owner.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries?status=delivered"))).Total == 1), Is.True,
            "the waiting delivery goes out once enabled");
    }

    [Test]
    public async Task ASubscriptionChoosesWhatIsRecordedAndHasDefaults()
    {
        using var app = new TestApp(provider, settings: Fast);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (_, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄科技合作促进会");
        var (_, stranger) = await app.OrganizationWithKey("member", "无关企业");
        var defaults = await Read<SubscriptionResponse>(await owner.GetAsync($"/api/v1/subscriptions/{ownerId}"));
        Assert.That((defaults.Configured, defaults.Threshold, defaults.Delivery, defaults.Types),
            Is.EqualTo((false, 0.5, AlertDelivery.Immediate, EventTypes.All)));
        Assert.That((await stranger.GetAsync($"/api/v1/subscriptions/{ownerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await agency.GetAsync($"/api/v1/subscriptions/{ownerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "an agency that does not serve it");
        await app.Serve(agencyId, ownerId);
        var set = await agency.SendAsync(Send(HttpMethod.Put, $"/api/v1/subscriptions/{ownerId}",
            new { types = new[] { EventTypes.IntroductionChanged }, threshold = 0.7 }, ifMatch: "\"0\""));
        var subscription = await Read<SubscriptionResponse>(set);
        Assert.That((subscription.Configured, subscription.Threshold, subscription.Types, subscription.Version),
            Is.EqualTo((true, 0.7, new[] { EventTypes.IntroductionChanged }, 1L)));
        Assert.That((await agency.SendAsync(Send(HttpMethod.Put, $"/api/v1/subscriptions/{ownerId}", new { threshold = 0.6 }, ifMatch: "\"0\""))).StatusCode,
            Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var bad = await app.WithKey(TestApp.AdminKey, "ru").SendAsync(Send(HttpMethod.Put, $"/api/v1/subscriptions/{ownerId}",
            new { types = new[] { "match.lost" }, threshold = 2 }));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["errors"]!;
        Assert.That(errors["types[0]"]![0]!.GetValue<string>(), Does.StartWith("«match.lost» — не тип события"));
        Assert.That(errors["threshold"]![0]!.GetValue<string>(), Is.EqualTo("Порог — оценка соответствия от 0 до 1."));

        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        var interest = await Read<InterestResponse>(await buyer.PostAsJsonAsync("/api/v1/interests", new { listingId = offer.Id, message = Message }));
        (await owner.SendAsync(Send(HttpMethod.Post, $"/api/v1/interests/{interest.Id}/accept"))).EnsureSuccessStatusCode();
        Assert.That((await FeedOf(owner)).Items.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.IntroductionChanged }),
            "interest.received is not among the chosen types");
        Assert.That((await FeedOf(agency)).Items.Select(e => (e.Type, e.OrganizationId)), Is.EqualTo(new[] { (EventTypes.IntroductionChanged, ownerId) }),
            "the agency reads its client's events");
        Assert.That((await FeedOf(agency, $"?organizationId={agencyId}")).Items, Is.Empty);
    }

    [Test]
    public async Task AReviewIsAnnouncedToTheListingsOrganization()
    {
        using var app = new TestApp(provider, settings: new Dictionary<string, string>(Fast) { ["Marketplace:Review:Required"] = "true" });
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄科技合作促进会");
        await app.Serve(agencyId, ownerId);
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        Assert.That(offer.Status, Is.EqualTo(ListingStatus.Submitted));
        (await agency.PostAsJsonAsync($"/api/v1/offers/{offer.Id}/review",
            new { decision = "reject", reason = new { zh = "请补充技术参数。", ru = "Добавьте технические характеристики." } })).EnsureSuccessStatusCode();
        var reviewed = (await FeedOf(owner)).Items.Single();
        Assert.That((reviewed.Type, reviewed.Data.Listing!.Id, reviewed.Data.Review!.Decision, reviewed.Data.Review.ReviewedBy),
            Is.EqualTo((EventTypes.ListingReviewed, offer.Id, ListingStatus.Rejected, agencyId)));
        Assert.That(reviewed.Data.Review.Reason!.Ru, Is.EqualTo("Добавьте технические характеристики."));
    }

    [Test]
    public async Task PrivateTargetsAndBadUrlsAreRefusedWithAClearProblem()
    {
        using var app = new TestApp(provider);
        var (_, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (otherId, _) = await app.OrganizationWithKey("member", "无关企业");
        var zh = app.WithKey(TestApp.AdminKey, "zh");
        foreach (var (url, expected) in new[]
                 {
                     ("http://127.0.0.1:8080/hook", "“127.0.0.1”是回环、私有或链路本地地址；回调只能发送到公网地址。"),
                     ("https://10.20.30.40/hook", "“10.20.30.40”是回环、私有或链路本地地址；回调只能发送到公网地址。"),
                     ("http://169.254.169.254/latest/meta-data", "“169.254.169.254”是回环、私有或链路本地地址；回调只能发送到公网地址。"),
                     ("http://[::1]/hook", "“::1”是回环、私有或链路本地地址；回调只能发送到公网地址。"),
                     ("http://localhost:5000/hook", null),
                     ("ftp://example.org/hook", "请填写以 http 或 https 开头的完整网址，例如 https://example.org。"),
                     ("not a url", "请填写以 http 或 https 开头的完整网址，例如 https://example.org。"),
                 })
        {
            var response = await zh.PostAsJsonAsync("/api/v1/webhooks", new { url, organizationId = otherId });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), url);
            var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["url"]![0]!.GetValue<string>();
            if (expected is not null) Assert.That(message, Is.EqualTo(expected), url);
            else Assert.That(message, Does.Contain("回环、私有或链路本地地址"), url);
        }
        Assert.That((await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.org/x", organizationId = otherId })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "not for another organization");
        Assert.That((await owner.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.org/x", types = new[] { "match.lost" } })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Read<Page<WebhookResponse>>(await app.Admin().GetAsync("/api/v1/webhooks"))).Total, Is.Zero, "nothing was stored");
    }
}

static class WebhookResponseExtensions
{
    public static string ETag(this WebhookResponse webhook) => $"\"{webhook.Version}\"";
}
