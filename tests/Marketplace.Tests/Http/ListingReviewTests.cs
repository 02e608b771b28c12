using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>
/// With Marketplace:Review:Required on, what an organization publishes waits for a reviewer — the
/// agency that serves it, or an admin — who publishes it or sends it back with a reason.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ListingReviewTests(string provider)
{
    static readonly Dictionary<string, string> ReviewRequired = new() { ["Marketplace:Review:Required"] = "true" };

    static async Task<ListingResponse> Read(HttpResponseMessage response)
    {
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
    }

    static async Task<string> Detail(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();

    static HttpRequestMessage Review(string path, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Test]
    public async Task ASubmittedOfferIsPublishedByTheAgencyThatServesItsOrganizationAndByNoOneElse()
    {
        using var app = new TestApp(provider, settings: ReviewRequired);
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄技术转移中心");
        var (_, otherAgency) = await app.OrganizationWithKey("agency", "另一家中介");
        var (clientId, client) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        await app.Serve(agencyId, clientId);

        var submitted = await Read(await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        Assert.That((submitted.Status, submitted.ExpiresAt, submitted.PublishedAt, submitted.Review),
            Is.EqualTo((ListingStatus.Submitted, (DateTimeOffset?)null, (DateTimeOffset?)null, (ListingReview?)null)));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/offers/{submitted.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var search = (await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options))!;
        Assert.That(search.Items, Is.Empty, "not searched before review");

        var queue = (await agency.GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!;
        Assert.That(queue.Items.Select(i => i.Id), Is.EqualTo(new[] { submitted.Id }));
        Assert.That((await otherAgency.GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!.Items, Is.Empty);
        Assert.That((await app.Admin().GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews?kind=offer", Json.Options))!.Total, Is.EqualTo(1));
        Assert.That((await app.Admin().GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews?kind=need", Json.Options))!.Total, Is.Zero);
        Assert.That((await client.GetAsync("/api/v1/reviews")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "a member reviews nothing");

        var publish = new { decision = "publish" };
        var foreign = await otherAgency.SendAsync(Review($"/api/v1/offers/{submitted.Id}/review", publish));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await client.SendAsync(Review($"/api/v1/offers/{submitted.Id}/review", publish))).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "no one reviews their own listing");
        Assert.That((await agency.SendAsync(Review($"/api/v1/offers/{submitted.Id}/review", publish, "\"7\""))).StatusCode,
            Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await agency.SendAsync(Review($"/api/v1/needs/{submitted.Id}/review", publish))).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound), "an offer is no need");

        var published = await Read(await agency.SendAsync(Review($"/api/v1/offers/{submitted.Id}/review", publish, submitted.Version.ToString() is var v ? $"\"{v}\"" : null)));
        Assert.That((published.Status, published.Version), Is.EqualTo((ListingStatus.Published, submitted.Version + 1)));
        Assert.That(published.Review, Is.Not.Null);
        Assert.That((published.Review!.Decision, published.Review.ReviewedBy, published.Review.Reason),
            Is.EqualTo((ListingStatus.Published, agencyId, (LocalizedText?)null)));
        Assert.That(published.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(365)).Within(TimeSpan.FromMinutes(5)));
        Assert.That(published.PublishedAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/offers/{submitted.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        search = (await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options))!;
        Assert.That(search.Items.Select(i => i.Id), Is.EqualTo(new[] { submitted.Id }), "searched once published");
        Assert.That((await agency.GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!.Items, Is.Empty);

        var again = await app.Admin("zh").SendAsync(Review($"/api/v1/offers/{submitted.Id}/review", publish));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(again), Is.EqualTo("只有待审核的条目可以审核；该条目当前为已发布。"));

        // The agency that reviews a client's listings publishes what it writes for them at once.
        var byAgency = Samples.ChinesePump("agency-written");
        byAgency["organizationId"] = clientId;
        Assert.That((await Read(await agency.PostAsJsonAsync("/api/v1/needs", byAgency))).Status, Is.EqualTo(ListingStatus.Published));
    }

    [Test]
    public async Task ARejectionNeedsAReasonItsOwnerReadsAndAChangeSubmitsItAgain()
    {
        using var app = new TestApp(provider, settings: ReviewRequired);
        var (_, owner) = await app.OrganizationWithKey("member", "淄博泵业");
        var line = System.Text.Json.JsonSerializer.Serialize(Samples.ChinesePump("zh-bulk"));
        var bulk = await owner.PostAsync("/api/v1/needs/bulk", new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson"));
        Assert.That((await bulk.Content.ReadFromJsonAsync<BulkResponse>(Json.Options))!.Created, Is.EqualTo(1));
        var need = (await app.Admin().GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!.Items.Single();
        Assert.That(need.Status, Is.EqualTo(ListingStatus.Submitted), "a bulk line is submitted like a single write");

        var reasonless = await app.Admin("ru").SendAsync(Review($"/api/v1/needs/{need.Id}/review", new { decision = "reject", reason = new { zh = " " } }));
        Assert.That(reasonless.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await reasonless.Content.ReadAsStringAsync())!;
        Assert.That(problem["errors"]!["reason"]![0]!.GetValue<string>(), Is.EqualTo("Для отклонения нужна причина хотя бы на одном языке: zh, ru или en."));
        var unknown = await app.Admin().SendAsync(Review($"/api/v1/needs/{need.Id}/review", new { decision = "approve" }));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await owner.GetFromJsonAsync<ListingResponse>($"/api/v1/needs/{need.Id}", Json.Options))!.Version, Is.EqualTo(need.Version),
            "a refused decision changes nothing");

        var reason = new { zh = "请补充流量和扬程。", ru = "Укажите подачу и напор." };
        var rejected = await Read(await app.Admin().SendAsync(Review($"/api/v1/needs/{need.Id}/review", new { decision = "reject", reason })));
        Assert.That(rejected.Status, Is.EqualTo(ListingStatus.Rejected));
        var seen = (await owner.GetFromJsonAsync<ListingResponse>($"/api/v1/needs/{need.Id}", Json.Options))!;
        Assert.That((seen.Review!.Decision, seen.Review.Reason!.Zh, seen.Review.Reason.Ru, seen.Review.ReviewedBy),
            Is.EqualTo((ListingStatus.Rejected, reason.zh, reason.ru, "platform")));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/needs/{need.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        // The same line again changes nothing; a changed listing goes back to the reviewers.
        await owner.PostAsync("/api/v1/needs/bulk", new StringContent(line + "\n", Encoding.UTF8, "application/x-ndjson"));
        Assert.That((await owner.GetFromJsonAsync<ListingResponse>($"/api/v1/needs/{need.Id}", Json.Options))!.Status, Is.EqualTo(ListingStatus.Rejected));
        var changed = Samples.ChinesePump("zh-bulk");
        changed["description"] = new { zh = "需要一种大流量潜水泵，流量 500 立方米每小时，扬程 30 米，用于城市排涝。" };
        var resubmitted = await Read(await owner.PutAsJsonAsync($"/api/v1/needs/{need.Id}", changed));
        Assert.That(resubmitted.Status, Is.EqualTo(ListingStatus.Submitted));
        Assert.That((await app.Admin().GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!.Items.Select(i => i.Id),
            Is.EqualTo(new[] { need.Id }));
        var renew = await owner.PostAsync($"/api/v1/needs/{need.Id}/renew", null);
        Assert.That(renew.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a submitted listing is not renewed past its review");
    }

    [Test]
    public async Task WithoutReviewAMembersListingIsPublishedAtOnceAndThereIsNothingToReview()
    {
        using var app = new TestApp(provider);
        var (_, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var offer = await Read(await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump")));
        Assert.That((offer.Status, offer.Review), Is.EqualTo((ListingStatus.Published, (ListingReview?)null)));
        Assert.That(offer.PublishedAt, Is.EqualTo(offer.CreatedAt));
        var refused = await app.Admin("ru").SendAsync(Review($"/api/v1/offers/{offer.Id}/review", new { decision = "publish" }));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await Detail(refused), Is.EqualTo("Проверить можно только запись, поданную на проверку; эта запись — опубликована."));
        Assert.That((await app.Admin().GetFromJsonAsync<Page<ListingResponse>>("/api/v1/reviews", Json.Options))!.Items, Is.Empty);
    }
}
