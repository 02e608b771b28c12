using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>Who sees what: organization records, and listings whose index entry is older than the database.</summary>
public sealed class VisibilityTests
{
    [Test]
    public async Task AnOrganizationIsReadByItsOwnMembersItsAgenciesAndAdminsOnly()
    {
        using var app = new TestApp();
        var (ownId, own) = await app.OrganizationWithKey("member", "自有企业");
        var (otherId, other) = await app.OrganizationWithKey("member", "另一企业");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "技术转移中心");

        Assert.That((await own.GetAsync($"/api/v1/organizations/{ownId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var foreign = await own.GetAsync($"/api/v1/organizations/{otherId}");
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await foreign.Content.ReadAsStringAsync(), Does.Not.Contain("另一企业"));
        Assert.That((await own.GetAsync("/api/v1/organizations/org_does-not-exist")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "a stranger's record and no record look the same");
        Assert.That((await other.GetAsync($"/api/v1/organizations/{ownId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await agency.GetAsync($"/api/v1/organizations/{otherId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound),
            "an agency reads only the organizations it serves");
        await app.Serve(agencyId, otherId);
        Assert.That((await agency.GetAsync($"/api/v1/organizations/{otherId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await app.Admin().GetAsync($"/api/v1/organizations/{otherId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/organizations/{otherId}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AListingUnpublishedWhileTheIndexLagsIsNeitherSearchedNorMatched()
    {
        var failing = new FailingIndex();
        using var app = failing.App();
        var admin = app.Admin();
        var offer = (await (await admin.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("lagging"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        var need = (await (await admin.PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump("need"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        var before = await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need.Id}/matches", Json.Options);
        Assert.That(before!.Items.Select(i => i.Listing.Id), Does.Contain(offer.Id), "the pair matches while the offer is published");

        failing.Down = true; // the engine keeps the published copy
        var draft = Samples.RussianPump("lagging");
        draft["status"] = "draft";
        var update = await admin.PutAsJsonAsync($"/api/v1/offers/{offer.Id}", draft);
        Assert.That((await update.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!.IndexStatus, Is.EqualTo("pending"));

        var search = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options);
        Assert.That(search!.Items, Is.Empty);
        var listed = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers", Json.Options);
        Assert.That(listed!.Items, Is.Empty);
        var matches = await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need.Id}/matches", Json.Options);
        Assert.That(matches!.Items.Select(i => i.Listing.Id), Does.Not.Contain(offer.Id));
        Assert.That((await app.Anonymous().GetAsync($"/api/v1/offers/{offer.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
