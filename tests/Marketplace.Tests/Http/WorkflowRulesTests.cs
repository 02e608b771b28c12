using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>
/// The rule matrix of the workflow: every role against every transition — allowed, 403 (may see it,
/// may not do it), 404 (may not even see it) or 409 (not in this state).
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class WorkflowRulesTests(string provider)
{
    /// <summary>The cast of one case: the listing's owner, an interested organization, their agencies, strangers and the admin.</summary>
    sealed record Cast(TestApp App, Dictionary<string, HttpClient> As, string OfferId);

    static async Task<Cast> Stage(TestApp app)
    {
        var (ownerId, owner) = await app.OrganizationWithKey("member", "乌拉尔水泵厂");
        var (buyerId, buyer) = await app.OrganizationWithKey("member", "淄博泵业");
        var (_, stranger) = await app.OrganizationWithKey("member", "无关企业");
        var (ownerAgencyId, ownerAgency) = await app.OrganizationWithKey("agency", "乌拉尔技术转移中心");
        var (buyerAgencyId, buyerAgency) = await app.OrganizationWithKey("agency", "山东技术转移中心");
        var (_, otherAgency) = await app.OrganizationWithKey("agency", "另一家中介");
        await app.Serve(ownerAgencyId, ownerId);
        await app.Serve(buyerAgencyId, buyerId);
        var offer = (await (await owner.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("ru-pump"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        return new Cast(app, new Dictionary<string, HttpClient>
        {
            ["owner"] = owner, ["buyer"] = buyer, ["stranger"] = stranger, ["owner's agency"] = ownerAgency,
            ["buyer's agency"] = buyerAgency, ["other agency"] = otherAgency, ["admin"] = app.Admin(),
        }, offer.Id);
    }

    static async Task<InterestResponse> Interest(Cast cast) =>
        (await (await cast.As["buyer"].PostAsJsonAsync("/api/v1/interests",
            new { listingId = cast.OfferId, message = new { zh = "希望洽谈。" } })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<InterestResponse>(Json.Options))!;

    static async Task<string> Introduction(Cast cast) =>
        (await (await cast.As["owner"].PostAsync($"/api/v1/interests/{(await Interest(cast)).Id}/accept", null)).EnsureSuccessStatusCode().Content
            .ReadFromJsonAsync<InterestResponse>(Json.Options))!.IntroductionId!;

    [TestCase("owner", HttpStatusCode.OK)]
    [TestCase("owner's agency", HttpStatusCode.OK)]
    [TestCase("admin", HttpStatusCode.OK)]
    [TestCase("buyer", HttpStatusCode.Forbidden)]
    [TestCase("buyer's agency", HttpStatusCode.Forbidden)]
    [TestCase("stranger", HttpStatusCode.NotFound)]
    [TestCase("other agency", HttpStatusCode.NotFound)]
    public async Task WhoAnswersAnInterest(string role, HttpStatusCode expected)
    {
        using var app = new TestApp(provider);
        var cast = await Stage(app);
        var interest = await Interest(cast);
        Assert.That((await cast.As[role].PostAsync($"/api/v1/interests/{interest.Id}/accept", null)).StatusCode, Is.EqualTo(expected));
        Assert.That((await cast.As[role].PostAsJsonAsync($"/api/v1/interests/{interest.Id}/decline", new { reason = new { en = "no" } })).StatusCode,
            Is.EqualTo(expected == HttpStatusCode.OK ? HttpStatusCode.Conflict : expected), "once answered, a second answer names the state");
        var read = (await cast.As["buyer"].GetFromJsonAsync<InterestResponse>($"/api/v1/interests/{interest.Id}", Json.Options))!;
        Assert.That(read.Status, Is.EqualTo(expected == HttpStatusCode.OK ? InterestStatus.Accepted : InterestStatus.Pending), "a refusal changes nothing");
    }

    [TestCase("owner", HttpStatusCode.OK)]
    [TestCase("buyer", HttpStatusCode.OK)]
    [TestCase("owner's agency", HttpStatusCode.OK)]
    [TestCase("buyer's agency", HttpStatusCode.OK)]
    [TestCase("admin", HttpStatusCode.OK)]
    [TestCase("stranger", HttpStatusCode.NotFound)]
    [TestCase("other agency", HttpStatusCode.NotFound)]
    public async Task WhoMovesAnIntroductionAndSeesIt(string role, HttpStatusCode expected)
    {
        using var app = new TestApp(provider);
        var cast = await Stage(app);
        var id = await Introduction(cast);
        Assert.That((await cast.As[role].GetAsync($"/api/v1/introductions/{id}")).StatusCode, Is.EqualTo(expected));
        var moved = await cast.As[role].PostAsJsonAsync($"/api/v1/introductions/{id}/transitions", new { status = "negotiating" });
        Assert.That(moved.StatusCode, Is.EqualTo(expected));
        if (expected != HttpStatusCode.OK) return;
        var back = await cast.As[role].PostAsJsonAsync($"/api/v1/introductions/{id}/transitions", new { status = "negotiating" });
        Assert.That(back.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "negotiating does not move to negotiating");
        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/introductions/{id}/transitions")
        {
            Content = JsonContent.Create(new { status = "closed", reason = new { en = "stale" } }),
        };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.That((await cast.As[role].SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
    }

    [TestCase("introduced", "agreement", HttpStatusCode.OK)]
    [TestCase("introduced", "closed", HttpStatusCode.OK)]
    [TestCase("agreement", "negotiating", HttpStatusCode.Conflict)]
    [TestCase("agreement", "closed", HttpStatusCode.Conflict)]
    [TestCase("closed", "negotiating", HttpStatusCode.Conflict)]
    [TestCase("closed", "agreement", HttpStatusCode.Conflict)]
    public async Task WhichMovesEachStateAllows(string from, string to, HttpStatusCode expected)
    {
        using var app = new TestApp(provider);
        var cast = await Stage(app);
        var id = await Introduction(cast);
        object Body(string status) => status switch
        {
            "agreement" => new { status, agreement = new { form = "licensing", signedOn = "2026-11-20" } },
            "closed" => new { status, reason = new { ru = "Проект отменён." } },
            _ => new { status },
        };
        if (from != "introduced") (await cast.As["owner"].PostAsJsonAsync($"/api/v1/introductions/{id}/transitions", Body(from))).EnsureSuccessStatusCode();
        var answer = await cast.App.Admin("zh").PostAsJsonAsync($"/api/v1/introductions/{id}/transitions", Body(to));
        Assert.That(answer.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.Conflict)
            Assert.That(System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(),
                Does.StartWith("该对接当前为"), "the problem names the current state in the caller's language");
    }
}
