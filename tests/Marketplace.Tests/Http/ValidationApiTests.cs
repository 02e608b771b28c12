using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>Bad input answers problem+json naming the field, in the caller's language, and changes nothing.</summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class ValidationApiTests(string provider)
{
    static async Task<JsonNode> Problem(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    static string[] Fields(JsonNode problem) => problem["errors"]!.AsObject().Select(p => p.Key).ToArray();

    [TestCase("title", "{\"zh\":\"Насос высокого напора\"}", "title.zh", TestName = "Russian text in title.zh")]
    [TestCase("title", "{\"ru\":\"高扬程潜水泵\"}", "title.ru", TestName = "Chinese text in title.ru")]
    [TestCase("title", "{\"en\":\"Pump\"}", "title", TestName = "English-only title")]
    [TestCase("trl", "0", "trl", TestName = "TRL 0")]
    [TestCase("trl", "10", "trl", TestName = "TRL 10")]
    [TestCase("field", "\"pumps\"", "field", TestName = "Unknown field code")]
    [TestCase("country", "\"Russia\"", "country", TestName = "Country not ISO alpha-2")]
    [TestCase("cooperationForms", "[]", "cooperationForms", TestName = "No cooperation form")]
    [TestCase("cooperationForms", "[\"barter\"]", "cooperationForms[0]", TestName = "Unknown cooperation form")]
    [TestCase("status", "\"deleted\"", "status", TestName = "Unknown status")]
    [TestCase("keywords", "{\"ru\":[\"насос\",\"泵\"]}", "keywords.ru[1]", TestName = "Chinese keyword among Russian ones")]
    [TestCase("ip", "{\"status\":\"stolen\"}", "ip.status", TestName = "Unknown IP status")]
    [TestCase("sizeOfCompany", "12", "sizeOfCompany", TestName = "Unknown member")]
    [TestCase("trl", "\"seven\"", "trl", TestName = "TRL of the wrong type")]
    [TestCase("trl", "\"8\"", "trl", TestName = "TRL as a string of digits")]
    public async Task ABadMemberIsNamedAndNothingIsStored(string member, string json, string expectedField)
    {
        using var app = new TestApp(provider);
        var body = JsonNode.Parse(JsonContent.Create(Samples.ChinesePump()).ReadAsStringAsync().Result)!.AsObject();
        body[member] = JsonNode.Parse(json);

        var response = await app.Admin().PostAsync("/api/v1/needs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.That(Fields(await Problem(response)), Does.Contain(expectedField));
        Assert.That((await app.Admin().GetFromJsonAsync<SearchPage>("/api/v1/needs", Json.Options))!.Total, Is.Zero);
    }

    [Test]
    public async Task ADescriptionIsNeededInEveryLanguageOfTheTitle()
    {
        using var app = new TestApp(provider);
        var body = Samples.BilingualLaser();
        body["description"] = new { zh = "光纤激光焊接设备。" };
        var problem = await Problem(await app.Admin().PostAsJsonAsync("/api/v1/offers", body));
        Assert.That(Fields(problem), Is.EquivalentTo(new[] { "description.ru" }));
    }

    [Test]
    public async Task MessagesFollowAcceptLanguage()
    {
        using var app = new TestApp(provider);
        var body = Samples.ChinesePump();
        body["title"] = new { zh = "Pump" };

        var zh = await Problem(await app.Admin("zh-CN").PostAsJsonAsync("/api/v1/needs", body));
        var ru = await Problem(await app.Admin("ru").PostAsJsonAsync("/api/v1/needs", body));
        var en = await Problem(await app.Admin().PostAsJsonAsync("/api/v1/needs", body));

        Assert.Multiple(() =>
        {
            Assert.That(zh["title"]!.GetValue<string>(), Is.EqualTo("一个或多个字段无效。"));
            Assert.That(zh["errors"]!["title.zh"]![0]!.GetValue<string>(), Is.EqualTo("中文（zh）文本必须以汉字为主。"));
            Assert.That(ru["title"]!.GetValue<string>(), Is.EqualTo("Одно или несколько полей заполнены неверно."));
            Assert.That(ru["errors"]!["title.zh"]![0]!.GetValue<string>(), Does.Contain("иероглиф"));
            Assert.That(en["errors"]!["title.zh"]![0]!.GetValue<string>(), Does.Contain("Chinese characters"));
        });
    }

    [Test]
    public async Task AnUnknownMemberIsNamedInTheCallersLanguage()
    {
        using var app = new TestApp(provider);
        var body = Samples.RussianPump();
        body["цена"] = 100;
        var problem = await Problem(await app.Admin("ru").PostAsJsonAsync("/api/v1/offers", body));
        Assert.That(problem["errors"]!["цена"]![0]!.GetValue<string>(), Is.EqualTo("Неизвестное поле «цена»."));
    }

    [Test]
    public async Task MalformedJsonIsA400()
    {
        using var app = new TestApp(provider);
        var response = await app.Admin("ru").PostAsync("/api/v1/offers", new StringContent("{\"title\": {\"zh\": ", Encoding.UTF8, "application/json"));
        var problem = await Problem(response);
        Assert.That(problem["status"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(problem["errors"]!["$"]![0]!.GetValue<string>(), Is.EqualTo("Тело запроса не является корректным JSON."),
            "a body cut short is not JSON; it is not a wrong value of the member it broke off in");
    }

    [Test]
    public async Task AnInvalidUpdateLeavesTheStoredListingAsItWas()
    {
        using var app = new TestApp(provider);
        var client = app.Admin();
        var created = (await (await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump())).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        var body = Samples.RussianPump();
        body["title"] = new { ru = "高扬程潜水泵" };

        await Problem(await client.PutAsJsonAsync($"/api/v1/offers/{created.Id}", body));

        var stored = (await client.GetFromJsonAsync<ListingResponse>($"/api/v1/offers/{created.Id}", Json.Options))!;
        Assert.That((stored.Version, stored.Title.Ru), Is.EqualTo((1L, created.Title.Ru)));
    }

    [TestCase("trlMin=0", "trlMin")]
    [TestCase("field=pumps", "field")]
    [TestCase("form=barter", "form")]
    [TestCase("lang=de", "lang")]
    [TestCase("limit=101", "limit")]
    [TestCase("cursor=not-a-cursor", "cursor")]
    [TestCase("trlMin=abc", "trlMin")]
    [TestCase("limit=ten", "limit")]
    public async Task BadSearchParametersAreNamed(string query, string expectedField)
    {
        using var app = new TestApp(provider);
        var problem = await Problem(await app.Anonymous().GetAsync("/api/v1/offers?" + query));
        Assert.That(Fields(problem), Does.Contain(expectedField));
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo("See 'errors' for each parameter."), "a read stores nothing, and says nothing of storing");
    }

    [TestCase("zh", "trlMin", "“七”不是整数。")]
    [TestCase("ru", "trlMin", "«七» — не целое число.")]
    [TestCase("en", "trlMin", "'七' is not a whole number.")]
    public async Task AValueThatDoesNotParseIsNamedInTheCallersLanguage(string language, string field, string message)
    {
        // Not the framework's "Failed to bind parameter "Nullable<int> TrlMin"": the name the client sent, in its language.
        using var app = new TestApp(provider);
        var problem = await Problem(await app.Anonymous(language).GetAsync("/api/v1/offers?trlMin=%E4%B8%83"));
        Assert.That(problem["errors"]![field]![0]!.GetValue<string>(), Is.EqualTo(message));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("Nullable").And.Not.Contain("Failed to bind"));
    }

    [TestCase("zh", "不存在 id 为“nd_missing”的技术需求。")]
    [TestCase("ru", "Не найдено: запрос с id «nd_missing».")]
    [TestCase("en", "No need with id 'nd_missing'.")]
    public async Task AMissingListingIsNamedInTheCallersLanguage(string language, string detail)
    {
        using var app = new TestApp(provider);
        var response = await app.Anonymous(language).GetAsync("/api/v1/needs/nd_missing");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.That(problem["detail"]!.GetValue<string>(), Is.EqualTo(detail));
    }

    [Test]
    public async Task AListingWithoutATitleIsRefusedByCreateReplaceAndBulk()
    {
        using var app = new TestApp(provider);
        var client = app.Admin("zh");
        var untitled = Samples.RussianPump("no-title");
        untitled.Remove("title");

        var create = await Problem(await client.PostAsJsonAsync("/api/v1/offers", untitled));
        Assert.That(create["errors"]!["title"]![0]!.GetValue<string>(), Is.EqualTo("必须填写“title”。"));

        var stored = (await (await client.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("titled"))).Content
            .ReadFromJsonAsync<ListingResponse>(Json.Options))!;
        await Problem(await client.PutAsJsonAsync($"/api/v1/offers/{stored.Id}", untitled));

        var bulk = await client.PostAsync("/api/v1/offers/bulk",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(untitled) + "\n", Encoding.UTF8, "application/x-ndjson"));
        var answer = (await bulk.Content.ReadFromJsonAsync<BulkResponse>(Json.Options))!;
        Assert.That((answer.Created, answer.Failed), Is.EqualTo((0L, 1L)));
        Assert.That(answer.Errors[0].Problem.Errors!.Keys, Does.Contain("title"));

        var all = (await client.GetFromJsonAsync<SearchPage>("/api/v1/offers", Json.Options))!;
        Assert.That(all.Items.Select(i => (i.ExternalRef, i.Version)), Is.EqualTo(new[] { ("titled", 1L) }), "nothing but the valid listing was stored");
    }

    [TestCase("title", "{\"ru\":\"Насос\\u0000высокого напора\"}", "title.ru", TestName = "NUL in a title")]
    [TestCase("externalRef", "\"erp-\\u00001\"", "externalRef", TestName = "NUL in externalRef")]
    [TestCase("keywords", "{\"ru\":[\"насос\\u0007\"]}", "keywords.ru[0]", TestName = "Bell in a keyword")]
    [TestCase("title", "{\"ru\":\"Насос \\ud800\"}", "title.ru", TestName = "Unpaired surrogate in a title")]
    public async Task ControlCharactersAreA400AndNothingIsStored(string member, string json, string expectedField)
    {
        using var app = new TestApp(provider);
        var body = Samples.RussianPump();
        body[member] = "__value__";
        // Spliced in as text: an unpaired surrogate cannot even pass through a JsonNode.
        var text = System.Text.Json.JsonSerializer.Serialize(body).Replace("\"__value__\"", json);

        var response = await app.Admin().PostAsync("/api/v1/offers", new StringContent(text, Encoding.UTF8, "application/json"));

        Assert.That(Fields(await Problem(response)), Does.Contain(expectedField));
        Assert.That((await app.Admin().GetFromJsonAsync<SearchPage>("/api/v1/offers", Json.Options))!.Total, Is.Zero);
    }

    [Test]
    public async Task AnOrganizationNeedsANameWithoutControlCharacters()
    {
        using var app = new TestApp(provider);
        var admin = app.Admin("ru");
        Assert.That(Fields(await Problem(await admin.PostAsJsonAsync("/api/v1/organizations", new { country = "RU" }))), Does.Contain("name"));
        Assert.That(Fields(await Problem(await admin.PostAsJsonAsync("/api/v1/organizations", new { name = new { }, country = "RU" }))),
            Does.Contain("name"));
        Assert.That(Fields(await Problem(await admin.PostAsJsonAsync("/api/v1/organizations", new { name = new { ru = "ООО\u0000Ромашка" } }))),
            Does.Contain("name.ru"));
        Assert.That(Fields(await Problem(await admin.PostAsJsonAsync("/api/v1/organizations", new { name = new { zh = "насос 泵" } }))),
            Does.Contain("name.zh"));
        var organizations = await admin.GetFromJsonAsync<List<OrganizationResponse>>("/api/v1/organizations", Json.Options);
        Assert.That(organizations!.Select(o => o.Id), Is.EqualTo(new[] { "platform" }));
    }

    [TestCase("/api/v1/api-keys?organizationId=%00", "organizationId", TestName = "NUL in a filter the database reads")]
    [TestCase("/api/v1/glossary?field=%00", "field", TestName = "NUL in the glossary's field")]
    [TestCase("/api/v1/offers?q=%E6%B3%B5%07", "q", TestName = "A bell in a search")]
    [TestCase("/api/v1/offers/of_x%1B", "id", TestName = "An escape in an id")]
    public async Task AControlCharacterInAParameterIsA400(string url, string expectedField)
    {
        using var app = new TestApp(provider);
        var problem = await Problem(await app.Admin("ru").GetAsync(url));
        Assert.That(problem["errors"]![expectedField]![0]!.GetValue<string>(), Does.StartWith("Управляющие символы"));
    }

    [Test]
    public async Task AClientThatAcceptsOnlyXmlStillGetsItsProblemAsJson()
    {
        using var app = new TestApp(provider);
        var client = app.WithKey("mk_unknown");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/xml");
        var response = await client.GetAsync("/api/v1/taxonomy");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!.GetValue<int>(), Is.EqualTo(401));
    }

    [Test]
    public async Task WhatTheFrameworkAnswersByItselfIsLocalizedToo()
    {
        using var app = new TestApp(provider);
        var client = app.Admin("zh");
        var method = await client.PatchAsync("/api/v1/offers", new StringContent("{}", Encoding.UTF8, "application/json"));
        var media = await client.PostAsync("/api/v1/offers", new StringContent("title=x", Encoding.UTF8, "text/plain"));
        var route = await client.GetAsync("/api/v1/nowhere");
        var (methodBody, mediaBody, routeBody) = (JsonNode.Parse(await method.Content.ReadAsStringAsync())!,
            JsonNode.Parse(await media.Content.ReadAsStringAsync())!, JsonNode.Parse(await route.Content.ReadAsStringAsync())!);
        Assert.Multiple(() =>
        {
            Assert.That(method.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
            Assert.That(methodBody["title"]!.GetValue<string>(), Is.EqualTo("不支持的请求方法。"));
            Assert.That(media.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That(mediaBody["detail"]!.GetValue<string>(), Does.Contain("application/json"));
            Assert.That(route.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(routeBody["detail"]!.GetValue<string>(), Does.Contain("/openapi/v1.json"));
        });
    }
}
