using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using Marketplace.Contracts;

namespace Marketplace.Tests.Fuzz;

/// <summary>
/// Thousands of bad requests, generated from the served OpenAPI document over every operation and
/// role: none may answer 500 or above, and none that is refused may change anything stored.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class OpenApiFuzzTests(string provider)
{
    /// <summary>Requests per operation and role; with 31 operations and 5 roles, about 6,000 in all.</summary>
    const int PerOperationAndRole = 40;
    const int Seed = 20261129;

    [Test]
    public async Task NoBadRequestAnswers500OrChangesWhatIsStored()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin();
        var (memberOrg, member) = await app.OrganizationWithKey("member", "模糊测试企业");
        var (_, agency) = await app.OrganizationWithKey("agency", "模糊测试中心");
        var offer = Samples.RussianPump("fuzz-offer");
        offer["organizationId"] = memberOrg;
        var offerId = await Http.MatchFixtures.Post(admin, "offers", offer);
        var draft = Samples.ChinesePump("fuzz-draft");
        draft["status"] = "draft";
        var needId = await Http.MatchFixtures.Post(admin, "needs", draft);
        var term = await (await admin.PostAsJsonAsync("/api/v1/glossary", new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" }))
            .Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options);
        var keys = await admin.GetFromJsonAsync<List<ApiKeyResponse>>("/api/v1/api-keys", Json.Options);
        var ids = new Dictionary<string, string>
        {
            ["offer"] = offerId, ["need"] = needId, ["term"] = term!.Id, ["organization"] = memberOrg,
            ["key"] = keys!.First(k => k.OrganizationId == memberOrg).Id,
        };
        var bodies = new Dictionary<string, JsonObject>
        {
            ["/offers"] = Body(Samples.RussianPump("fuzz-new")),
            ["/needs"] = Body(Samples.ChinesePump("fuzz-new")),
            ["/match"] = Body(new Dictionary<string, object?>(Samples.ChinesePump()) { ["target"] = "offers" }),
            ["/organizations"] = Body(new() { ["name"] = new { zh = "新机构", ru = "Новая организация" }, ["country"] = "CN" }),
            ["/api-keys"] = Body(new() { ["organizationId"] = memberOrg, ["role"] = "member", ["name"] = "fuzz" }),
            ["/glossary"] = Body(new() { ["field"] = "applied-chemistry", ["zh"] = "桐油", ["ru"] = "тунговое масло" }),
            ["/retry"] = Body(new() { ["listingIds"] = new[] { offerId } }),
        };
        var roles = new (string Name, HttpClient Client)[]
        {
            ("anonymous", app.Anonymous()), ("unknown key", app.WithKey("mk_unknown-key-of-nobody")), ("member", member),
            ("agency", agency), ("admin", admin),
        };
        var operations = Operation.From(JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!);
        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(30), "the document lists every operation");

        await Settle(app);
        var snapshot = await SnapshotAsync(app);
        var generator = new BadRequests(new Random(Seed), bodies, ids);
        var statuses = new SortedDictionary<int, int>();
        var failures = new List<string>();
        var sent = 0;
        foreach (var operation in operations)
            foreach (var (role, client) in roles)
                foreach (var request in generator.For(operation, PerOperationAndRole))
                {
                    using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.PathAndQuery) { Content = request.Body };
                    foreach (var (name, value) in request.Headers)
                        if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
                        {
                            message.Content.Headers.Remove(name);
                            message.Content.Headers.TryAddWithoutValidation(name, value);
                        }
                    var status = (int)(await client.SendAsync(message)).StatusCode;
                    sent++;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status >= 500) failures.Add($"{status} as {role}: {request.Description}");
                    if (status is >= 200 and < 300)
                    {
                        // Accepted after all (an ignored parameter, a body that happened to be valid): the new state is the baseline.
                        await Settle(app);
                        snapshot = await SnapshotAsync(app);
                    }
                    else if (await SnapshotAsync(app) is var now && now != snapshot)
                    {
                        failures.Add($"{status} as {role} changed the database: {request.Description}");
                        snapshot = now;
                    }
                }

        TestContext.Progress.WriteLine($"{provider}: {sent} requests over {operations.Count} operations × {roles.Length} roles (seed {Seed}); " +
                                       $"status codes: {string.Join(", ", statuses.Select(s => $"{s.Key} × {s.Value}"))}");
        Assert.That(sent, Is.GreaterThanOrEqualTo(5_000));
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(40)));
    }

    static JsonObject Body(Dictionary<string, object?> value) =>
        JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value, Json.Options))!.AsObject();

    /// <summary>Waits for the background indexer, whose work is not a request's.</summary>
    static async Task Settle(TestApp app) =>
        await TestApp.WaitUntil(async () =>
            (await app.Admin().GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options))!.Backlog.Pending == 0);

    /// <summary>
    /// A digest of what requests can change: organizations, keys, listings (without the indexer's
    /// bookkeeping) and the glossary (its 3,000 shipped rows summed rather than read one by one).
    /// </summary>
    static async Task<string> SnapshotAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenAsync();
        var text = new StringBuilder();
        foreach (var query in new[]
                 {
                     "SELECT id, name, country FROM organizations ORDER BY id",
                     "SELECT id, organization_id, role, name, key_hash, revoked_at FROM api_keys ORDER BY id",
                     "SELECT id, kind, organization_id, external_ref, status, field, trl, country, body, version, created_at, updated_at FROM listings ORDER BY id",
                     "SELECT COUNT(*), SUM(version), SUM(deleted), MAX(updated_at), SUM(LENGTH(zh) + LENGTH(ru) + LENGTH(field)) FROM glossary_terms",
                     "SELECT revision FROM glossary_revision",
                 })
            foreach (IDictionary<string, object?> row in await connection.QueryAsync(query))
                text.AppendLine(string.Join("|", row.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
