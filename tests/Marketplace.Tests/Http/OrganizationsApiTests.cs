using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>
/// Organization profiles (type, names, region, website, languages, contact) and the agencies that serve
/// organizations: an agency acts for its clients, which an admin links, and for no one else.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class OrganizationsApiTests(string provider)
{
    static object Profile(string email = "tt@zibo-pumps.example.cn") => new
    {
        name = new { zh = "淄博泵业有限公司", ru = "Насосный завод Цзыбо", en = "Zibo Pumps Co." },
        country = "CN",
        type = "enterprise",
        region = "山东省",
        website = "https://zibo-pumps.example.cn",
        languages = new[] { "zh", "ru" },
        contact = new { person = "王伟", email, phone = "+86 533 8888 0000" },
    };

    [Test]
    public async Task AProfileIsCreatedReadAndChangedWithItsETag()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin();
        var created = await admin.PostAsJsonAsync("/api/v1/organizations", Profile());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(created.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        var org = (await created.Content.ReadFromJsonAsync<OrganizationResponse>(Json.Options))!;
        Assert.That((org.Type, org.Region, org.Website, org.Contact?.Person), Is.EqualTo(("enterprise", "山东省", "https://zibo-pumps.example.cn", "王伟")));
        Assert.That(org.Languages, Is.EqualTo(new[] { "zh", "ru" }));

        // The organization's own member changes it, with the version it read.
        var key = await admin.PostAsJsonAsync("/api/v1/api-keys", new { organizationId = org.Id, role = "member" });
        var member = app.WithKey((await key.Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Json.Options))!.Key, "ru");
        var change = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/organizations/{org.Id}") { Content = JsonContent.Create(Profile("export@zibo-pumps.example.cn")) };
        change.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var changed = await member.SendAsync(change);
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(changed.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        Assert.That((await changed.Content.ReadFromJsonAsync<OrganizationResponse>(Json.Options))!.Contact!.Email, Is.EqualTo("export@zibo-pumps.example.cn"));

        var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/organizations/{org.Id}") { Content = JsonContent.Create(Profile()) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        Assert.That((await member.SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        var read = (await member.GetFromJsonAsync<OrganizationResponse>($"/api/v1/organizations/{org.Id}", Json.Options))!;
        Assert.That((read.Version, read.Contact!.Email), Is.EqualTo((2L, "export@zibo-pumps.example.cn")));
    }

    [TestCase("type", "factory", "type")]
    [TestCase("website", "zibo-pumps.cn", "website")]
    [TestCase("languages", "de", "languages[0]")]
    [TestCase("contact.email", "wang at zibo", "contact.email")]
    [TestCase("contact.phone", "call me", "contact.phone")]
    public async Task ABadProfileIsNamedInTheCallersLanguageAndChangesNothing(string member, string value, string expected)
    {
        using var app = new TestApp(provider);
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Profile()))!.AsObject();
        switch (member)
        {
            case "languages": body["languages"] = new JsonArray(value); break;
            case "contact.email": body["contact"]!["email"] = value; break;
            case "contact.phone": body["contact"]!["phone"] = value; break;
            default: body[member] = value; break;
        }
        var before = (await app.Admin().GetFromJsonAsync<List<OrganizationResponse>>("/api/v1/organizations", Json.Options))!.Count;
        var refused = await app.Admin("zh").PostAsJsonAsync("/api/v1/organizations", body);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        var message = problem["errors"]![expected]![0]!.GetValue<string>();
        Assert.That(message, Does.Match("\\p{IsCJKUnifiedIdeographs}"), "the message is in Chinese");
        Assert.That((await app.Admin().GetFromJsonAsync<List<OrganizationResponse>>("/api/v1/organizations", Json.Options))!, Has.Count.EqualTo(before));
    }

    [Test]
    public async Task AnAgencyActsForTheClientsAnAdminLinksAndForNoOneElse()
    {
        using var app = new TestApp(provider);
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "中俄技术转移中心");
        var (clientId, _) = await app.OrganizationWithKey("member", "淄博泵业");
        var listing = Samples.ChinesePump("agency-pump");
        listing["organizationId"] = clientId;

        var before = await agency.PostAsJsonAsync("/api/v1/needs", listing);
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "not yet its client");
        Assert.That((await agency.GetAsync($"/api/v1/organizations/{clientId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        await app.Serve(agencyId, clientId);
        await app.Serve(agencyId, clientId); // linking twice changes nothing
        var created = await agency.PostAsJsonAsync("/api/v1/needs", listing);
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var clients = (await agency.GetFromJsonAsync<List<OrganizationResponse>>($"/api/v1/organizations/{agencyId}/clients", Json.Options))!;
        Assert.That(clients.Select(c => c.Id), Is.EqualTo(new[] { clientId }));
        var listed = (await agency.GetFromJsonAsync<List<OrganizationResponse>>("/api/v1/organizations", Json.Options))!;
        Assert.That(listed.Select(c => c.Id), Is.EquivalentTo(new[] { agencyId, clientId }), "its own organization and its clients, no one else");

        Assert.That((await app.Admin().DeleteAsync($"/api/v1/organizations/{agencyId}/clients/{clientId}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        listing["externalRef"] = "agency-pump-2";
        Assert.That((await agency.PostAsJsonAsync("/api/v1/needs", listing)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden),
            "from the next request after the unlink");
    }

    [Test]
    public async Task OnlyAnAgencyGetsClientsAndOnlyAnAdminLinksThem()
    {
        using var app = new TestApp(provider);
        var (enterpriseId, enterprise) = await app.OrganizationWithKey("member", "淄博泵业");
        var (agencyId, agency) = await app.OrganizationWithKey("agency", "技术转移中心");

        var notAnAgency = await app.Admin("ru").PutAsync($"/api/v1/organizations/{enterpriseId}/clients/{agencyId}", null);
        Assert.That(notAnAgency.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await notAnAgency.Content.ReadAsStringAsync(), Does.Contain("не является посреднической"));
        Assert.That((await app.Admin().PutAsync($"/api/v1/organizations/{agencyId}/clients/{agencyId}", null)).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest), "not its own client");
        Assert.That((await agency.PutAsync($"/api/v1/organizations/{agencyId}/clients/{enterpriseId}", null)).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "an agency does not choose its clients");
        Assert.That((await enterprise.GetAsync($"/api/v1/organizations/{agencyId}/clients")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await app.Admin().PutAsync($"/api/v1/organizations/{agencyId}/clients/org_nobody", null)).StatusCode,
            Is.EqualTo(HttpStatusCode.NotFound));
    }
}
