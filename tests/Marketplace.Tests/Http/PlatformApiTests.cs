using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Tests.Http;

/// <summary>OpenAPI, health, keys, reindexing and the index's recovery.</summary>
public sealed class PlatformApiTests
{
    [Test]
    public async Task TheOpenApiDocumentHasSummariesBilingualExamplesAndErrorResponses()
    {
        using var app = new TestApp();
        var document = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;

        var create = document["paths"]!["/api/v1/offers"]!["post"]!;
        Assert.Multiple(() =>
        {
            Assert.That(create["summary"]!.GetValue<string>(), Does.Contain("发布").And.Contain("Опубликовать"));
            Assert.That(create["responses"]!["400"], Is.Not.Null);
            Assert.That(create["responses"]!["401"], Is.Not.Null);
            Assert.That(create["security"]!.AsArray(), Is.Not.Empty);
            var example = document["components"]!["schemas"]!["ListingRequest"]!["examples"]![0]!;
            Assert.That(example["title"]!["zh"]!.GetValue<string>(), Is.EqualTo("高扬程潜水泵"));
            Assert.That(example["title"]!["ru"]!.GetValue<string>(), Does.Contain("насос"));
            Assert.That(document["paths"]!["/api/v1/offers/{id}"]!["put"]!["responses"]!["412"], Is.Not.Null);
        });
        Assert.That((await app.Anonymous().GetAsync("/swagger/index.html")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key} {p.Key}", Operation: o.Value!))).ToList();
        Assert.That(operations.Where(o => o.Operation["responses"]!["429"]?["headers"]?["Retry-After"] is null).Select(o => o.Name), Is.Empty,
            "every operation is rate-limited and says so");
    }

    [Test]
    public async Task HealthEndpointsAnswer()
    {
        using var app = new TestApp();
        Assert.That(await app.Anonymous().GetStringAsync("/health/live"), Is.EqualTo("Healthy"));
        var ready = JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
        Assert.That(ready["checks"]!.AsObject().Select(c => c.Key), Is.EquivalentTo(new[] { "database", "index", "indexing" }));
    }

    [Test]
    public async Task AKeyIsShownOnceStoredHashedAndCanBeRevoked()
    {
        using var app = new TestApp();
        var admin = app.Admin();
        var org = (await (await admin.PostAsJsonAsync("/api/v1/organizations",
            new { name = new { zh = "中科技术转移中心", ru = "Центр трансфера технологий" }, country = "CN" }))
            .Content.ReadFromJsonAsync<OrganizationResponse>(Json.Options))!;
        var created = (await (await admin.PostAsJsonAsync("/api/v1/api-keys", new { organizationId = org.Id, role = "agency" }))
            .Content.ReadFromJsonAsync<CreatedApiKeyResponse>(Json.Options))!;

        var listing = await admin.GetStringAsync($"/api/v1/api-keys?organizationId={org.Id}");
        Assert.That(listing, Does.Not.Contain(created.Key));
        Assert.That(listing, Does.Contain(created.ApiKey.Prefix));
        var agency = app.WithKey(created.Key);
        Assert.That((await agency.GetAsync("/api/v1/organizations")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await agency.GetAsync("/api/v1/api-keys")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That((await admin.DeleteAsync($"/api/v1/api-keys/{created.ApiKey.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await agency.GetAsync("/api/v1/organizations")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var dbFile = await File.ReadAllBytesAsync(Path.Combine(app.DataDir, "marketplace.db"));
        Assert.That(System.Text.Encoding.UTF8.GetString(dbFile), Does.Not.Contain(created.Key));
    }

    [Test]
    public async Task AMemberKeyCannotReindexButAnAdminCan()
    {
        using var app = new TestApp();
        await app.Admin().PostAsJsonAsync("/api/v1/offers", Samples.RussianPump());
        var (_, member) = await app.OrganizationWithKey("member");

        Assert.That((await member.PostAsync("/api/v1/admin/reindex", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var answer = await (await app.Admin().PostAsync("/api/v1/admin/reindex", null)).Content.ReadFromJsonAsync<ReindexResponse>(Json.Options);
        Assert.That(answer!.Indexed, Is.EqualTo(1));
        var found = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options);
        Assert.That(found!.Total, Is.EqualTo(1));
    }

    [TestCase(true, TestName = "Index folder deleted")]
    [TestCase(false, TestName = "Index files corrupted")]
    public async Task AMissingOrCorruptIndexIsRebuiltFromTheDatabaseAtStart(bool delete)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        using (var first = new TestApp(dataDir: dataDir))
        {
            (await first.Admin().PostAsJsonAsync("/api/v1/needs", Samples.ChinesePump())).EnsureSuccessStatusCode();
            (await first.Admin().PostAsJsonAsync("/api/v1/offers", Samples.RussianPump())).EnsureSuccessStatusCode();
        }
        var index = Path.Combine(dataDir, "index");
        if (delete) Directory.Delete(index, recursive: true);
        else
            foreach (var file in Directory.GetFiles(index).Where(f => !f.EndsWith("write.lock")))
                await File.WriteAllBytesAsync(file, new byte[64]);

        using var second = new TestApp(dataDir: dataDir);
        var found = await second.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/needs?q=" + Uri.EscapeDataString("潜水泵"), Json.Options);
        Assert.That(found!.Total, Is.EqualTo(1));
    }

    [Test]
    public async Task WritesWhileTheSearchEngineIsDownAreKeptAndAllIndexedOnceItIsBack()
    {
        var failing = new FailingIndex();
        using var app = failing.App();
        var client = app.Admin();
        _ = await client.GetAsync("/health/live");
        failing.Down = true;

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump($"down-{i}"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var offer = (await response.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
            Assert.That(offer.IndexStatus, Is.EqualTo("pending"));
            ids.Add(offer.Id);
        }
        var update = Samples.RussianPump("down-0");
        update["trl"] = 9;
        Assert.That((await client.PostAsJsonAsync("/api/v1/offers", update)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var status = (await client.GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options))!;
        Assert.That(status.Backlog.Pending, Is.EqualTo(6), "five creates and one update wait");
        Assert.That(status.DatabaseListings, Is.EqualTo(5));

        failing.Down = false;
        var drained = await TestApp.WaitUntil(async () =>
            (await client.GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options))!.Backlog.Pending == 0);
        Assert.That(drained, "the background indexer drains the outbox once the engine is back");

        var found = await client.GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос") + "&limit=100", Json.Options);
        Assert.That(found!.Items.Select(i => i.Id), Is.EquivalentTo(ids));
        Assert.That(found.Items.Select(i => i.IndexStatus), Has.All.EqualTo("indexed"));
        Assert.That(found.Items.Single(i => i.ExternalRef == "down-0").Trl, Is.EqualTo(9), "the latest version is indexed");
        Assert.That((await client.GetFromJsonAsync<SearchPage>("/api/v1/offers?trlMin=9", Json.Options))!.Total, Is.EqualTo(1));
    }
}
