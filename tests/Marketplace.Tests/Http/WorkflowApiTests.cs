using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>
/// Interest → introduction → agreement: who may do each step, what each side sees, and that every
/// step is recorded with who and when.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WorkflowApiTests(string provider)
{
    static readonly object Contact = new { person = "Иванов Сергей", email = "ivanov@ural-pump.example.ru", phone = "+7 343 000-00-00" };

    static async Task<T> Read<T>(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
    }

    static async Task<string> Detail(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();

    static HttpRequestMessage Post(string path, object? body, string? ifMatch = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (idempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return request;
    }

    static object Message => new { zh = "我们希望引进贵方的潜水泵技术。", ru = "Мы хотели бы получить лицензию на ваш насос." };

    [Test]
    public async Task AnAcceptedInterestIntroducesBothSidesWhoFollowTheCaseToAnAgreement()
    {
        using var app = new TestApp(provider);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, stranger) = await app.OrganizationWithKey("member", "无关企业");
        var profile = new { name = new { zh = "乌拉尔水泵厂", ru = "Уральский насосный завод" }, country = "RU", type = "enterprise", contact = Contact };
        var etag = (await owner.GetAsync($"/api/v1/organizations/{ownerId}")).Headers.ETag!.Tag;
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/organizations/{ownerId}") { Content = JsonContent.Create(profile) };
        put.Headers.TryAddWithoutValidation("If-Match", etag);
        (await owner.SendAsync(put)).EnsureSuccessStatusCode();
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        var need = await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump")));
        Assert.That((await buyer.GetAsync($"/api/v1/organizations/{ownerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "no contact before an introduction");

        var created = await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, ownListingId = need.Id, message = Message }, idempotencyKey: "k-1"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var interest = (await created.Content.ReadFromJsonAsync<InterestResponse>(Json.Options))!;
        Assert.That((interest.Status, interest.OwnerOrganizationId, interest.OrganizationId, interest.OwnListingId),
            Is.EqualTo((InterestStatus.Pending, ownerId, buyerId, need.Id)));
        var replay = await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = Message }, idempotencyKey: "k-1"));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same key again answers the first interest");
        Assert.That((await replay.Content.ReadFromJsonAsync<InterestResponse>(Json.Options))!.Id, Is.EqualTo(interest.Id));

        var received = await Read<Page<InterestResponse>>(await owner.GetAsync("/api/v1/interests"));
        Assert.That(received.Items.Select(i => i.Id), Is.EqualTo(new[] { interest.Id }));
        Assert.That((await Read<Page<InterestResponse>>(await buyer.GetAsync("/api/v1/interests?direction=sent"))).Total, Is.EqualTo(1));
        Assert.That((await Read<Page<InterestResponse>>(await buyer.GetAsync("/api/v1/interests"))).Total, Is.Zero, "it received none");
        Assert.That((await Read<Page<InterestResponse>>(await stranger.GetAsync("/api/v1/interests"))).Total, Is.Zero);
        Assert.That((await stranger.GetAsync($"/api/v1/interests/{interest.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await buyer.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "the interested side does not accept its own interest");
        Assert.That((await owner.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null, "\"9\""))).StatusCode,
            Is.EqualTo(HttpStatusCode.PreconditionFailed));

        var accepted = await Read<InterestResponse>(await owner.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null, "\"1\"")));
        Assert.That((accepted.Status, accepted.AnsweredBy, accepted.Version), Is.EqualTo((InterestStatus.Accepted, ownerId, 2L)));
        Assert.That(accepted.IntroductionId, Is.Not.Null);
        var again = await app.Admin("zh").SendAsync(Post($"/api/v1/interests/{interest.Id}/decline", new { reason = new { zh = "重复" } }));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(again), Is.EqualTo("只有待答复的合作意向可以答复；该意向当前为已接受。"));

        var introduction = await Read<IntroductionResponse>(await buyer.GetAsync($"/api/v1/introductions/{accepted.IntroductionId}"));
        Assert.That((introduction.Status, introduction.Owner.OrganizationId, introduction.Interested.OrganizationId, introduction.Owner.ListingId),
            Is.EqualTo((IntroductionStatus.Introduced, ownerId, buyerId, offer.Id)));
        Assert.That(introduction.Owner.Contact?.Email, Is.EqualTo("ivanov@ural-pump.example.ru"), "the buyer sees the owner's contact");
        var ownerProfile = await Read<OrganizationResponse>(await buyer.GetAsync($"/api/v1/organizations/{ownerId}"));
        Assert.That(ownerProfile.Contact?.Phone, Is.EqualTo("+7 343 000-00-00"), "and reads its profile");
        Assert.That((await stranger.GetAsync($"/api/v1/organizations/{ownerId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.GetAsync($"/api/v1/introductions/{introduction.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Read<Page<IntroductionResponse>>(await stranger.GetAsync("/api/v1/introductions"))).Total, Is.Zero);

        var negotiating = await Read<IntroductionResponse>(await buyer.SendAsync(Post($"/api/v1/introductions/{introduction.Id}/transitions",
            new { status = "negotiating" }, "\"1\"")));
        Assert.That(negotiating.Status, Is.EqualTo(IntroductionStatus.Negotiating));
        var agreement = new { status = "agreement", agreement = new { form = "licensing", signedOn = "2026-11-20", value = 1500000, currency = "CNY" } };
        var signed = await Read<IntroductionResponse>(await owner.SendAsync(Post($"/api/v1/introductions/{introduction.Id}/transitions", agreement)));
        Assert.That((signed.Status, signed.Agreement!.Form, signed.Agreement.SignedOn, signed.Agreement.Value),
            Is.EqualTo((IntroductionStatus.Agreement, "licensing", (DateOnly?)new DateOnly(2026, 11, 20), (decimal?)1500000m)));
        Assert.That(signed.History.Select(e => (e.Status, e.By)),
            Is.EqualTo(new[] { (IntroductionStatus.Introduced, ownerId), (IntroductionStatus.Negotiating, buyerId), (IntroductionStatus.Agreement, ownerId) }));
        Assert.That(signed.History.Select(e => e.At), Is.Ordered);

        var closed = await app.Admin("ru").SendAsync(Post($"/api/v1/introductions/{introduction.Id}/transitions", new { status = "closed", reason = new { ru = "Повтор" } }));
        Assert.That(closed.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "an agreement is final");
        Assert.That(await Detail(closed), Is.EqualTo("Знакомство сейчас в состоянии «соглашение» и не может перейти в «закрыто»."));
    }

    [Test]
    public async Task NoInterestInOnesOwnOrAnUnpublishedListingAndADeclineNeedsAReason()
    {
        using var app = new TestApp(provider);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        var draftBody = Samples.RussianPump("ru-draft");
        draftBody["status"] = "draft";
        var draft = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", draftBody));

        var own = await app.WithKey(await KeyOf(app, ownerId), "zh").SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = Message }));
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(own), Is.EqualTo("机构不能对自己的条目表达合作意向。"));
        Assert.That((await buyer.SendAsync(Post("/api/v1/interests", new { listingId = draft.Id, message = Message }))).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest), "another organization's draft does not exist for the buyer");
        var forBuyer = await app.Admin("ru").SendAsync(Post("/api/v1/interests", new { listingId = draft.Id, organizationId = buyerId, message = Message }));
        Assert.That(forBuyer.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(forBuyer), Is.EqualTo("Заявить интерес можно только к опубликованной записи; эта запись — черновик."));
        var noMessage = await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = new { en = "hello" } }));
        Assert.That(noMessage.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var notOwn = await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, ownListingId = draft.Id, message = Message }));
        Assert.That(notOwn.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await Read<Page<InterestResponse>>(await app.Admin().GetAsync("/api/v1/interests"))).Total, Is.Zero, "nothing refused was stored");

        var interest = await Read<InterestResponse>(await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = Message })));
        var reasonless = await owner.SendAsync(Post($"/api/v1/interests/{interest.Id}/decline", new { reason = new { zh = "  " } }));
        Assert.That(reasonless.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var declined = await Read<InterestResponse>(await owner.SendAsync(Post($"/api/v1/interests/{interest.Id}/decline",
            new { reason = new { zh = "该技术已独家许可。", ru = "Технология уже передана по исключительной лицензии." } })));
        Assert.That((declined.Status, declined.Reason!.Zh, declined.IntroductionId), Is.EqualTo((InterestStatus.Declined, "该技术已独家许可。", (string?)null)));
        var seen = await Read<InterestResponse>(await buyer.GetAsync($"/api/v1/interests/{interest.Id}"));
        Assert.That(seen.Reason!.Ru, Is.EqualTo("Технология уже передана по исключительной лицензии."), "the interested side reads why");
        Assert.That((await Read<Page<IntroductionResponse>>(await buyer.GetAsync("/api/v1/introductions"))).Total, Is.Zero);
    }

    [Test]
    public async Task AgenciesActForTheirClientsOnBothSidesAndSeeTheCase()
    {
        using var app = new TestApp(provider);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, _) = await app.OrganizationWithKey("member", "淄博泵业");
        var (cnAgencyId, cnAgency) = await app.OrganizationWithKey("agency", "山东中俄技术转移中心");
        var (ruAgencyId, ruAgency) = await app.OrganizationWithKey("agency", "乌拉尔技术转移中心");
        await app.Serve(cnAgencyId, buyerId);
        await app.Serve(ruAgencyId, ownerId);
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));

        Assert.That((await cnAgency.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, organizationId = ownerId, message = Message }))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "not its client");
        var interest = await Read<InterestResponse>(await cnAgency.SendAsync(Post("/api/v1/interests",
            new { listingId = offer.Id, organizationId = buyerId, message = Message })));
        Assert.That((interest.OrganizationId, interest.CreatedBy), Is.EqualTo((buyerId, cnAgencyId)));
        Assert.That((await cnAgency.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var accepted = await Read<InterestResponse>(await ruAgency.SendAsync(Post($"/api/v1/interests/{interest.Id}/accept", null)));
        Assert.That(accepted.AnsweredBy, Is.EqualTo(ruAgencyId));
        foreach (var agency in new[] { cnAgency, ruAgency })
            Assert.That((await Read<Page<IntroductionResponse>>(await agency.GetAsync("/api/v1/introductions"))).Items.Select(i => i.Id),
                Is.EqualTo(new[] { accepted.IntroductionId }));
        var closed = await Read<IntroductionResponse>(await cnAgency.SendAsync(Post($"/api/v1/introductions/{accepted.IntroductionId}/transitions",
            new { status = "closed", reason = new { zh = "客户改变采购计划。" } })));
        Assert.That((closed.Status, closed.Reason!.Zh, closed.History.Last().By), Is.EqualTo((IntroductionStatus.Closed, "客户改变采购计划。", cnAgencyId)));
    }

    [Test]
    public async Task AnAgencyRecommendsAPairBothSidesAcceptAndAnIntroductionOpens()
    {
        using var app = new TestApp(provider);
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, stranger) = await app.OrganizationWithKey("member", "无关企业");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄技术转移中心");
        var (_, otherAgency) = await app.OrganizationWithKey("agency", "另一家中介");
        await app.Serve(agencyId, buyerId);
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        var need = await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump")));
        var pair = new { needId = need.Id, offerId = offer.Id, note = new { zh = "流量与扬程相符。", ru = "Подача и напор совпадают." } };

        Assert.That((await buyer.PostAsJsonAsync("/api/v1/recommendations", pair)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "agencies recommend");
        Assert.That((await otherAgency.PostAsJsonAsync("/api/v1/recommendations", pair)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "an agency serving neither side does not");
        var made = await agency.SendAsync(Post("/api/v1/recommendations", pair, idempotencyKey: "rec-1"));
        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var recommendation = (await made.Content.ReadFromJsonAsync<RecommendationResponse>(Json.Options))!;
        var replay = await agency.SendAsync(Post("/api/v1/recommendations", pair, idempotencyKey: "rec-1"));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same key again answers the first recommendation");
        Assert.That((await replay.Content.ReadFromJsonAsync<RecommendationResponse>(Json.Options))!.Id, Is.EqualTo(recommendation.Id));
        Assert.That((recommendation.Status, recommendation.NeedAnswer, recommendation.OfferAnswer, recommendation.AgencyId),
            Is.EqualTo((InterestStatus.Pending, InterestStatus.Pending, InterestStatus.Pending, agencyId)));
        Assert.That(recommendation.Score, Is.GreaterThan(0), "the pair's match score of that moment");
        Assert.That(recommendation.Explanation!.SharedConcepts.Select(c => c.Id).Concat(recommendation.Explanation.TranslatedTerms.Select(t => t.Source)), Is.Not.Empty,
            "and why it matched");

        Assert.That((await Read<Page<RecommendationResponse>>(await owner.GetAsync("/api/v1/recommendations"))).Total, Is.EqualTo(1), "addressed to the owner");
        Assert.That((await Read<Page<RecommendationResponse>>(await stranger.GetAsync("/api/v1/recommendations"))).Total, Is.Zero);
        Assert.That((await stranger.GetAsync($"/api/v1/recommendations/{recommendation.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.SendAsync(Post($"/api/v1/recommendations/{recommendation.Id}/accept", new { }))).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var half = await Read<RecommendationResponse>(await owner.SendAsync(Post($"/api/v1/recommendations/{recommendation.Id}/accept", new { }, "\"1\"")));
        Assert.That((half.Status, half.OfferAnswer, half.NeedAnswer, half.IntroductionId), Is.EqualTo((InterestStatus.Pending, InterestStatus.Accepted, InterestStatus.Pending, (string?)null)));
        var twice = await app.WithKey(await KeyOf(app, ownerId), "zh").SendAsync(Post($"/api/v1/recommendations/{recommendation.Id}/accept", new { }));
        Assert.That(twice.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(twice), Is.EqualTo("只有待答复的合作意向可以答复；该意向当前为已接受。"));

        var both = await Read<RecommendationResponse>(await agency.SendAsync(Post($"/api/v1/recommendations/{recommendation.Id}/accept", new { side = "need" })));
        Assert.That((both.Status, both.NeedAnswer), Is.EqualTo((InterestStatus.Accepted, InterestStatus.Accepted)));
        var introduction = await Read<IntroductionResponse>(await owner.GetAsync($"/api/v1/introductions/{both.IntroductionId}"));
        Assert.That((introduction.Owner.OrganizationId, introduction.Interested.OrganizationId, introduction.Interested.ListingId, introduction.RecommendationId),
            Is.EqualTo((ownerId, buyerId, need.Id, recommendation.Id)));
        Assert.That((await Read<RecommendationResponse>(await agency.GetAsync($"/api/v1/recommendations/{recommendation.Id}"))).Status,
            Is.EqualTo(InterestStatus.Accepted), "the agency sees how it ended");
        foreach (var side in new[] { owner, buyer })
        {
            var events = (await Read<EventFeed>(await side.GetAsync("/api/v1/events"))).Items;
            Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { EventTypes.RecommendationReceived, EventTypes.IntroductionChanged }),
                "each side is told of the recommendation once and of the introduction it opened");
            Assert.That((events[0].Data.Recommendation!.Id, events[1].Data.Introduction!.Id), Is.EqualTo((recommendation.Id, both.IntroductionId)));
        }

        var other = await Read<RecommendationResponse>(await app.Admin().PostAsJsonAsync("/api/v1/recommendations", pair));
        var ambiguous = await app.Admin().SendAsync(Post($"/api/v1/recommendations/{other.Id}/decline", new { reason = new { en = "duplicate" } }));
        Assert.That(ambiguous.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "an admin acts for both sides and must say which");
        Assert.That((await buyer.SendAsync(Post($"/api/v1/recommendations/{other.Id}/decline", new { }))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest),
            "a decline needs a reason");
        var declined = await Read<RecommendationResponse>(await buyer.SendAsync(Post($"/api/v1/recommendations/{other.Id}/decline",
            new { reason = new { zh = "已有合作伙伴。" } })));
        Assert.That((declined.Status, declined.NeedReason!.Zh), Is.EqualTo((InterestStatus.Declined, "已有合作伙伴。")));
    }

    [Test]
    public async Task TheFunnelCountsEachStepByFieldAndDirectionForWhoeverMaySeeIt()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin();
        var ruId = (await Read<OrganizationResponse>(await admin.PostAsJsonAsync("/api/v1/organizations",
            new { name = new { ru = "Уральский насосный завод" }, country = "RU", type = "enterprise" }))).Id;
        var owner = app.WithKey(await KeyOf(app, ruId));
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, other) = await app.OrganizationWithKey("member", "另一家企业");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄技术转移中心");
        await app.Serve(agencyId, buyerId);
        var offer = await Read<ListingResponse>(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        await Read<ListingResponse>(await buyer.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("zh-pump")));

        var first = await Read<InterestResponse>(await buyer.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = Message })));
        var second = await Read<InterestResponse>(await other.SendAsync(Post("/api/v1/interests", new { listingId = offer.Id, message = Message })));
        await Read<InterestResponse>(await owner.SendAsync(Post($"/api/v1/interests/{second.Id}/decline", new { reason = new { ru = "Нет мощностей." } })));
        var introductionId = (await Read<InterestResponse>(await owner.SendAsync(Post($"/api/v1/interests/{first.Id}/accept", null)))).IntroductionId;
        await Read<IntroductionResponse>(await buyer.SendAsync(Post($"/api/v1/introductions/{introductionId}/transitions",
            new { status = "agreement", agreement = new { form = "licensing", signedOn = "2026-11-20" } })));

        var all = await Read<FunnelReport>(await admin.GetAsync("/api/v1/reports/funnel"));
        Assert.That(all.Total, Is.EqualTo(new FunnelCounts(2, 2, 1, 1)));
        Assert.That(all.ByDirection["CN→RU"], Is.EqualTo(new FunnelCounts(0, 2, 1, 1)), "Chinese organizations' interest in a Russian offer");
        Assert.That(all.ByField[offer.Field].Interests, Is.EqualTo(2));
        Assert.That(new[] { all.MedianDays.PublishToFirstInterest, all.MedianDays.InterestToIntroduction, all.MedianDays.IntroductionToAgreement },
            Has.All.Not.Null.And.All.InRange(0.0, 1.0));

        var served = await Read<FunnelReport>(await agency.GetAsync("/api/v1/reports/funnel"));
        Assert.That(served.Total, Is.EqualTo(new FunnelCounts(1, 1, 1, 1)), "the agency sees its client's need and case, not the other interest");
        var elsewhere = await Read<FunnelReport>(await admin.GetAsync("/api/v1/reports/funnel?field=new-materials"));
        Assert.That(elsewhere.Total, Is.EqualTo(new FunnelCounts(0, 0, 0, 0)));
        var before = await Read<FunnelReport>(await admin.GetAsync("/api/v1/reports/funnel?to=2026-01-01T00:00:00Z&from=2025-01-01T00:00:00Z"));
        Assert.That(before.Total, Is.EqualTo(new FunnelCounts(0, 0, 0, 0)));
        Assert.That((await admin.GetAsync("/api/v1/reports/funnel?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await buyer.GetAsync("/api/v1/reports/funnel")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "members read no reports");
    }

    /// <summary>A second key of an organization, to call as it in another language.</summary>
    static async Task<string> KeyOf(TestApp app, string organizationId)
    {
        var key = await app.Admin().PostAsJsonAsync("/api/v1/api-keys", new { organizationId, role = "member", name = "second" });
        return (await key.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Json.Options))!.Key;
    }
}
