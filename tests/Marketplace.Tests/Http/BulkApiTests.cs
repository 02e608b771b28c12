using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class BulkApiTests(string provider)
{
    static StringContent Ndjson(IEnumerable<string> lines) =>
        new(string.Join("\n", lines) + "\n", Encoding.UTF8, "application/x-ndjson");

    static string Line(Dictionary<string, object?> listing) => JsonSerializer.Serialize(listing);

    static async Task<BulkResponse> Bulk(HttpClient client, string collection, IEnumerable<string> lines)
    {
        var response = await client.PostAsync($"/api/v1/{collection}/bulk", Ndjson(lines));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<BulkResponse>(Json.Options))!;
    }

    [Test]
    public async Task BadLinesFailAloneNamingLineAndFieldWhileGoodLinesAreStored()
    {
        using var app = new TestApp(provider);
        var badScript = Samples.ChinesePump("n-4");
        badScript["title"] = new { zh = "Насос" };
        string[] lines =
        [
            Line(Samples.ChinesePump("n-1")),
            "{\"externalRef\": \"n-2\", \"title\": ",
            Line(Samples.ChineseCeramics("n-3")),
            Line(badScript),
            Line(Samples.BilingualLaser(null)),
            Line(Samples.RussianPump("n-6")),
        ];

        var result = await Bulk(app.Admin("ru"), "needs", lines);

        Assert.That((result.Created, result.Updated, result.Unchanged, result.Failed), Is.EqualTo((3L, 0L, 0L, 3L)));
        Assert.That(result.Errors.Select(e => e.Line), Is.EqualTo(new long[] { 2, 4, 5 }));
        Assert.That(result.Errors[1].ExternalRef, Is.EqualTo("n-4"));
        Assert.That(result.Errors[1].Problem.Errors!.Keys, Does.Contain("title.zh"));
        Assert.That(result.Errors[1].Problem.Title, Is.EqualTo("Одно или несколько полей заполнены неверно."));
        Assert.That(result.Errors[2].Problem.Errors!.Keys, Does.Contain("externalRef"), "bulk lines must carry an externalRef");
        Assert.That(result.Errors[0].Problem.Errors!["$"], Is.EqualTo(new[] { "Строка не является корректным JSON." }), "a line, not the body");
        var stored = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/needs?limit=100", Json.Options);
        Assert.That(stored!.Items.Select(i => i.ExternalRef), Is.EquivalentTo(new[] { "n-1", "n-3", "n-6" }));
    }

    [Test]
    public async Task ALineWithAValueOfTheWrongTypeIsNamedByItsExternalRef()
    {
        using var app = new TestApp(provider);
        var result = await Bulk(app.Admin("zh"), "offers",
            ["""{"externalRef":"ru-typed","title":{"ru":"Насос"},"description":{"ru":"Насос для шахт."},"field":"transport-machinery","trl":"7","cooperationForms":["licensing"],"country":"RU"}"""]);
        var error = result.Errors.Single();
        Assert.That((error.Line, error.ExternalRef), Is.EqualTo((1L, "ru-typed")));
        Assert.That(error.Problem.Errors!["trl"], Is.EqualTo(new[] { "值的类型或格式不正确。" }));
    }

    [Test]
    public async Task SendingTheSameFileTwiceChangesNothingTheSecondTime()
    {
        using var app = new TestApp(provider);
        // Two batches: the second is stored while the engine indexes the first.
        var count = Marketplace.Api.Listings.ListingBulkImport.BatchSize + 200;
        var lines = Enumerable.Range(0, count).Select(i => Line(i % 2 == 0 ? Samples.RussianPump($"r-{i}") : Samples.ChinesePump($"r-{i}"))).ToList();

        var first = await Bulk(app.Admin(), "offers", lines);
        var second = await Bulk(app.Admin(), "offers", lines);
        var changed = Samples.RussianPump("r-0");
        changed["trl"] = 3;
        var third = await Bulk(app.Admin(), "offers", [Line(changed)]);

        Assert.That((first.Created, first.Failed), Is.EqualTo(((long)count, 0L)));
        Assert.That((second.Created, second.Updated, second.Unchanged), Is.EqualTo((0L, 0L, (long)count)));
        Assert.That((third.Updated, third.Created), Is.EqualTo((1L, 0L)));
        var search = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насосы"), Json.Options);
        Assert.That(search!.Total, Is.EqualTo(count / 2), "every stored line is searchable when the answer comes");
        Assert.That((await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?trlMax=3", Json.Options))!.Total, Is.EqualTo(1));
    }

    [Test]
    public async Task AMemberCannotBulkWriteForAnotherOrganization()
    {
        using var app = new TestApp(provider);
        var (other, _) = await app.OrganizationWithKey("member");
        var (_, member) = await app.OrganizationWithKey("member");
        var foreign = Samples.RussianPump("f-1");
        foreign["organizationId"] = other;

        var result = await Bulk(member, "offers", [Line(Samples.RussianPump("own-1")), Line(foreign)]);

        Assert.That((result.Created, result.Failed), Is.EqualTo((1L, 1L)));
        Assert.That(result.Errors.Single().Problem.Status, Is.EqualTo(403));
    }

    [Test]
    public async Task ABulkWriteNeedsAKeyAndNdjson()
    {
        using var app = new TestApp(provider);
        var anonymous = await app.Anonymous().PostAsync("/api/v1/offers/bulk", Ndjson([Line(Samples.RussianPump("a"))]));
        var json = await app.Admin().PostAsync("/api/v1/offers/bulk", new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(json.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task ALineOverTheLimitFailsAloneWithAProblemInTheCallersLanguage()
    {
        using var app = new TestApp(provider);
        var huge = Samples.RussianPump("huge");
        huge["description"] = new { ru = new string('н', 300_000) }; // 600 KB of UTF-8
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        body.Write([0xEF, 0xBB, 0xBF]); // a byte-order mark, as some editors save NDJSON
        Write(Line(Samples.RussianPump("before")) + "\r\n");
        Write(Line(huge) + "\r\n");
        Write("\n");
        Write(Line(Samples.ChinesePump("after")) + "\n");
        Write(new string('x', NdjsonLimit + 1)); // a last line without its line end, too long as well
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new("application/x-ndjson");

        var response = await app.Admin("zh").PostAsync("/api/v1/offers/bulk", content);
        var result = (await response.Content.ReadFromJsonAsync<BulkResponse>(Json.Options))!;

        Assert.That((result.Created, result.Failed), Is.EqualTo((2L, 2L)));
        Assert.That(result.Errors.Select(e => (e.Line, e.Problem.Status)), Is.EqualTo(new[] { (2L, 413), (5L, 413) }));
        Assert.That(result.Errors[0].Problem.Detail, Is.EqualTo("每行最多 256 KB；此行超出限制，已跳过。"));
        var stored = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers", Json.Options);
        Assert.That(stored!.Items.Select(i => i.ExternalRef), Is.EquivalentTo(new[] { "before", "after" }));
    }

    const int NdjsonLimit = Api.Listings.NdjsonLines.MaxLineBytes;
}
