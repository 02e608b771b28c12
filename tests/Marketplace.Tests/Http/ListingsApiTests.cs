using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>Offers and needs through HTTP; the same suite on SQLite and on PostgreSQL.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ListingsApiTests(string provider)
{
    TestApp NewApp() => new(provider);

    static async Task<ListingResponse> Read(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;

    [Test]
    public async Task CreatingAnOfferAnswers201WithLocationAndTheStoredListing()
    {
        using var app = NewApp();
        var response = await app.Admin().PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("erp-1"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var offer = await Read(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/offers/{offer.Id}"));
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
            Assert.That(offer.Kind, Is.EqualTo("offer"));
            Assert.That(offer.Title.Ru, Is.EqualTo("Насос высокого напора для шахтного водоотлива"));
            Assert.That(offer.Region, Is.EqualTo("Новосибирская область"));
            Assert.That(offer.Ip!.Patents, Is.EqualTo(new[] { "RU 2712345" }));
            Assert.That(offer.Status, Is.EqualTo("published"));
            Assert.That(offer.Version, Is.EqualTo(1));
            Assert.That(offer.IndexStatus, Is.EqualTo("indexed"));
            Assert.That(offer.OrganizationId, Is.EqualTo("platform"));
        });
        var again = await app.Anonymous().GetAsync(response.Headers.Location);
        Assert.That((await Read(again)).Title.Ru, Is.EqualTo(offer.Title.Ru));
    }

    [Test]
    public async Task PostingTheSameExternalRefTwiceNeverMakesADuplicate()
    {
        using var app = NewApp();
        var client = app.Admin();
        var first = await Read(await client.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("n-7")));
        var repeat = await client.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("n-7"));
        var changedBody = Samples.ChinesePump("n-7");
        changedBody["trl"] = 4;
        var changed = await client.PostAsJsonAsync("/api/v1/needs", changedBody);

        Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var unchanged = await Read(repeat);
        Assert.That((unchanged.Id, unchanged.Version), Is.EqualTo((first.Id, 1L)));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var updated = await Read(changed);
        Assert.That((updated.Id, updated.Version, updated.Trl), Is.EqualTo((first.Id, 2L, 4)));
        var all = await client.GetFromJsonAsync<SearchPage>("/api/v1/needs", Json.Options);
        Assert.That(all!.Total, Is.EqualTo(1));
    }

    [Test]
    public async Task UpdateHonoursIfMatchAndAnswers412OnAStaleVersion()
    {
        using var app = NewApp();
        var client = app.Admin();
        var offer = await Read(await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("u-1")));
        var body = Samples.RussianPump("u-1");
        body["trl"] = 9;

        var current = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/offers/{offer.Id}") { Content = JsonContent.Create(body) };
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var ok = await client.SendAsync(current);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/offers/{offer.Id}") { Content = JsonContent.Create(body) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var refused = await client.SendAsync(stale);

        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Read(ok)).Version, Is.EqualTo(2));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(refused.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var stored = await Read(await client.GetAsync($"/api/v1/offers/{offer.Id}"));
        Assert.That((stored.Version, stored.Trl), Is.EqualTo((2L, 9)));
    }

    [Test]
    public async Task ArchivingHidesTheListingFromSearchAndFromAnonymousReaders()
    {
        using var app = NewApp();
        var client = app.Admin();
        var offer = await Read(await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump()));

        var deleted = await client.DeleteAsync($"/api/v1/offers/{offer.Id}");

        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/offers/{offer.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Read(await client.GetAsync($"/api/v1/offers/{offer.Id}"))).Status, Is.EqualTo("archived"));
        var found = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=насос", Json.Options);
        Assert.That(found!.Total, Is.Zero);
    }

    [Test]
    public async Task AnOfferIsNotANeed()
    {
        using var app = NewApp();
        var offer = await Read(await app.Admin().PostAsJsonAsync("/api/v1/offers", Samples.RussianPump()));
        var asNeed = await app.Anonymous("zh").GetAsync($"/api/v1/needs/{offer.Id}");
        Assert.That(asNeed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = JsonNode.Parse(await asNeed.Content.ReadAsStringAsync())!;
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("未找到。"));
    }

    [Test]
    public async Task AWriteWithoutAKeyIs401AndStoresNothing()
    {
        using var app = NewApp();
        var response = await app.Anonymous("ru").PostAsJsonAsync("/api/v1/offers", Samples.RussianPump());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("Требуется API-ключ."));
        Assert.That((await app.Admin().GetFromJsonAsync<SearchPage>("/api/v1/offers", Json.Options))!.Total, Is.Zero);
    }

    [Test]
    public async Task AnUnknownKeyIs401EvenOnAnOpenRead()
    {
        using var app = NewApp();
        var response = await app.WithKey("mk_not-a-key").GetAsync("/api/v1/offers");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AMemberCannotChangeAnotherOrganizationsListing()
    {
        using var app = NewApp();
        var (_, owner) = await app.OrganizationWithKey("member", "甲公司");
        var (_, other) = await app.OrganizationWithKey("member", "乙公司");
        var offer = await Read(await owner.PostAsJsonAsync("/api/v1/offers", Samples.ChineseCeramics()));
        var body = Samples.ChineseCeramics();
        body["trl"] = 3;

        var put = await other.PutAsJsonAsync($"/api/v1/offers/{offer.Id}", body);
        var delete = await other.DeleteAsync($"/api/v1/offers/{offer.Id}");

        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var stored = await Read(await owner.GetAsync($"/api/v1/offers/{offer.Id}"));
        Assert.That((stored.Trl, stored.Status), Is.EqualTo((7, "published")));
    }

    [Test]
    public async Task AMemberCannotPostForAnotherOrganizationButItsAgencyCan()
    {
        using var app = NewApp();
        var (targetOrg, _) = await app.OrganizationWithKey("member");
        var (_, member) = await app.OrganizationWithKey("member");
        var (agencyOrg, agency) = await app.OrganizationWithKey("agency");
        var (_, otherAgency) = await app.OrganizationWithKey("agency");
        await app.Serve(agencyOrg, targetOrg);
        var body = Samples.ChineseCeramics();
        body["organizationId"] = targetOrg;

        var byMember = await member.PostAsJsonAsync("/api/v1/offers", body);
        var byOtherAgency = await otherAgency.PostAsJsonAsync("/api/v1/offers", body);
        var byAgency = await agency.PostAsJsonAsync("/api/v1/offers", body);

        Assert.That(byMember.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(byOtherAgency.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an agency that does not serve the organization");
        Assert.That(byAgency.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((await Read(byAgency)).OrganizationId, Is.EqualTo(targetOrg));
    }

    [Test]
    public async Task ADraftIsVisibleToItsOrganizationOnly()
    {
        using var app = NewApp();
        var (_, owner) = await app.OrganizationWithKey();
        var (_, other) = await app.OrganizationWithKey();
        var body = Samples.ChinesePump();
        body["status"] = "draft";
        var draft = await Read(await owner.PostAsJsonAsync("/api/v1/needs", body));

        Assert.That((await owner.GetAsync($"/api/v1/needs/{draft.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await other.GetAsync($"/api/v1/needs/{draft.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/needs/{draft.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/needs?q=潜水泵", Json.Options))!.Total, Is.Zero);
    }
}
