using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Tests.Http;

/// <summary>
/// The served OpenAPI document says what the server does, so that a client generated from it
/// compiles and is right: camelCase query names, code sets as enums, what a request must hold,
/// If-Match and ETag, strict numbers, and a description for every operation, parameter and member.
/// </summary>
public sealed class OpenApiDocumentTests
{
    static JsonNode? _document;

    [OneTimeSetUp]
    public async Task Fetch()
    {
        using var app = new TestApp();
        _document = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;
    }

    static JsonNode Document => _document!;

    static IEnumerable<(string Name, JsonNode Operation)> Operations() =>
        Document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => ($"{o.Key.ToUpperInvariant()} {p.Key}", o.Value!)));

    static IEnumerable<(string Name, JsonObject Schema)> Schemas() =>
        Document["components"]!["schemas"]!.AsObject().Select(s => (s.Key, s.Value!.AsObject()));

    static JsonNode Schema(string name) => Document["components"]!["schemas"]![name]!;

    /// <summary>The schema a member or parameter refers to: through <c>$ref</c>, and past the null of "null or X".</summary>
    static JsonNode? Resolve(JsonNode? schema)
    {
        if (schema?["oneOf"]?.AsArray().FirstOrDefault(o => o!["type"]?.GetValue<string>() != "null") is { } nonNull) schema = nonNull;
        return schema?["$ref"]?.GetValue<string>() is { } reference ? Schema(reference["#/components/schemas/".Length..]) : schema;
    }

    static string[] Enum(JsonNode? schema) => Resolve(schema)?["enum"]?.AsArray().Select(v => v!.GetValue<string>()).ToArray() ?? [];

    [Test]
    public void QueryParametersAreCamelCaseAndEveryParameterIsDescribed()
    {
        var parameters = Operations().SelectMany(o => (o.Operation["parameters"]?.AsArray() ?? []).Select(p => (o.Name, Parameter: p!))).ToList();
        Assert.That(parameters, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (operation, parameter) in parameters.Where(p => p.Parameter["in"]!.GetValue<string>() is "query" or "path"))
                Assert.That(parameter["name"]!.GetValue<string>(), Does.Match("^[a-z][A-Za-z]*$"), operation);
            foreach (var (operation, parameter) in parameters)
                Assert.That(parameter["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, $"{operation}: {parameter["name"]}");
        });
        var search = Document["paths"]!["/api/v1/offers"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.That(search, Is.SupersetOf(new[] { "q", "field", "country", "trlMin", "trlMax", "form", "lang", "cursor", "limit" }));
    }

    [Test]
    public void EveryOperationIsSummarizedAndDeclaresItsProblems()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in Operations())
            {
                Assert.That(operation["summary"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
                var problems = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('4')).ToList();
                Assert.That(problems, Is.Not.Empty, $"{name} declares no 4xx answer");
                foreach (var (status, response) in problems)
                    Assert.That(response!["content"]?["application/problem+json"], Is.Not.Null, $"{name} {status} is a problem");
            }
        });
    }

    [Test]
    public void EverySchemaAndMemberIsDescribed()
    {
        var members = Schemas().SelectMany(s => (s.Schema["properties"]?.AsObject() ?? []).Select(p => (Name: $"{s.Name}.{p.Key}", Schema: p.Value!))).ToList();
        Assert.That(members, Has.Count.GreaterThan(150));
        Assert.Multiple(() =>
        {
            foreach (var (name, schema) in Schemas())
                Assert.That(schema["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
            foreach (var (name, schema) in members)
                Assert.That(schema["description"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, name);
        });
    }

    [Test]
    public void CodeSetsAreEnumsWithTheirLabels()
    {
        var listing = Schema("ListingRequest")["properties"]!;
        Assert.Multiple(() =>
        {
            Assert.That(Enum(listing["field"]), Is.EquivalentTo(Taxonomy.FieldCodes));
            Assert.That(Resolve(listing["field"])!["description"]!.GetValue<string>(), Does.Contain("新材料").And.Contain("Новые материалы"));
            Assert.That(Enum(listing["cooperationForms"]!["items"]), Is.EquivalentTo(Taxonomy.CooperationFormCodes));
            Assert.That(Enum(listing["country"]), Is.EquivalentTo(Countries.Codes));
            Assert.That(Enum(listing["status"]), Is.EquivalentTo(Taxonomy.Statuses));
            Assert.That(Enum(Schema("ListingResponse")["properties"]!["kind"]), Is.EquivalentTo(new[] { "offer", "need" }));
            Assert.That(Enum(Schema("ApiKeyRequest")["properties"]!["role"]), Is.EquivalentTo(Taxonomy.Roles));
            Assert.That(Enum(Schema("MatchRequest")["properties"]!["target"]), Is.EquivalentTo(new[] { "offers", "needs" }));
            var form = Document["paths"]!["/api/v1/needs/{id}/matches"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "form")!;
            Assert.That(Enum(form["schema"]!["items"]), Is.EquivalentTo(Taxonomy.CooperationFormCodes));
            var glossaryField = Document["paths"]!["/api/v1/glossary"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "field")!;
            Assert.That(Enum(glossaryField["schema"]), Is.Empty, "the glossary's field filter also takes general");
            Assert.That(Enum(Schema("ListingResponse")["properties"]!["status"]),
                Is.EquivalentTo(Taxonomy.Statuses.Concat([ListingStatus.Expired, ListingStatus.Submitted, ListingStatus.Rejected])),
                "an answer may say expired, submitted or rejected; a request may not");
            Assert.That(Enum(Schema("ReviewRequest")["properties"]!["decision"]), Is.EquivalentTo(ReviewDecision.All));
            var kind = Document["paths"]!["/api/v1/reviews"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "kind")!;
            Assert.That(Enum(kind["schema"]), Is.EquivalentTo(new[] { "offer", "need" }));
        });
        // One named schema per code set: a generated client gets one type for a country, not one per member.
        var country = Schemas().SelectMany(s => s.Schema["properties"]?.AsObject() ?? []).Where(p => p.Key == "country" && p.Value!["additionalProperties"] is null).ToList(); // not the facet counts
        Assert.That(country, Has.Count.GreaterThan(3));
        Assert.That(country.Select(p => (p.Value!["$ref"] ?? p.Value["oneOf"]?[1]?["$ref"])?.GetValue<string>()),
            Is.All.EqualTo("#/components/schemas/CountryCode"));
    }

    [Test]
    public void EverySchemaExampleIsValidAgainstItsSchema()
    {
        // OpenAPI's x- extensions are no JSON Schema keywords.
        var components = ResponseSchemas.WithoutExtensions(Document["components"]!.DeepClone());
        var checkedExamples = 0;
        Assert.Multiple(() =>
        {
            foreach (var (name, schema) in Schemas())
                foreach (var example in schema["examples"]?.AsArray() ?? [])
                {
                    var root = new JsonObject
                    {
                        ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                        ["$id"] = $"https://marketplace.test/examples/{name}.json",
                        ["$ref"] = $"#/components/schemas/{name}",
                        ["components"] = components.DeepClone(),
                    };
                    var result = global::Json.Schema.JsonSchema.FromText(root.ToJsonString())
                        .Evaluate(System.Text.Json.JsonDocument.Parse(example!.ToJsonString()).RootElement,
                            new global::Json.Schema.EvaluationOptions { OutputFormat = global::Json.Schema.OutputFormat.List });
                    Assert.That(result.IsValid, Is.True,
                        $"{name}: " + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Value}"))));
                    checkedExamples++;
                }
        });
        Assert.That(checkedExamples, Is.GreaterThanOrEqualTo(10), "the listing, match, organization and workflow examples");
    }

    [Test]
    public void EveryProblemHasAnExampleInEachLanguage()
    {
        var examples = Document["components"]!["examples"]!;
        Assert.Multiple(() =>
        {
            foreach (var (name, operation) in Operations())
                foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
                {
                    var refs = response!["content"]?["application/problem+json"]?["examples"];
                    Assert.That(refs?.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "zh", "ru", "en" }), $"{name} {status}");
                    foreach (var (language, reference) in refs?.AsObject() ?? [])
                    {
                        var value = examples[reference!["$ref"]!.GetValue<string>()["#/components/examples/".Length..]]!["value"]!;
                        Assert.That(value["status"]!.GetValue<int>(), Is.EqualTo(int.Parse(status)), $"{name} {status} {language}");
                        Assert.That(value["detail"]!.GetValue<string>(), Is.Not.Empty);
                        var script = language switch { "zh" => "\\p{IsCJKUnifiedIdeographs}", "ru" => "\\p{IsCyrillic}", _ => "^[\\x20-\\x7E]+$" };
                        Assert.That(value["title"]!.GetValue<string>(), Does.Match(script), $"{name} {status} {language}: the title is in its language");
                    }
                }
        });
    }

    [TestCase("zh")]
    [TestCase("ru")]
    [TestCase("en")]
    public async Task AProblemExampleIsWhatTheServerSends(string language)
    {
        // The example of a need's 404 against the server's answer for the example's id.
        var reference = Document["paths"]!["/api/v1/needs/{id}"]!["get"]!["responses"]!["404"]!["content"]!["application/problem+json"]!["examples"]![language]!["$ref"]!
            .GetValue<string>();
        var example = Document["components"]!["examples"]![reference["#/components/examples/".Length..]]!["value"]!.AsObject();
        var id = System.Text.RegularExpressions.Regex.Match(example["detail"]!.GetValue<string>(), "nd_[0-9a-f]+").Value;
        using var app = new TestApp();
        var answer = JsonNode.Parse(await (await app.Anonymous(language).GetAsync($"/api/v1/needs/{id}")).Content.ReadAsStringAsync())!.AsObject();
        answer.Remove("traceId");
        example = (JsonObject)example.DeepClone();
        example.Remove("traceId");
        Assert.That(JsonNode.DeepEquals(answer, example), Is.True, $"served {answer.ToJsonString()}\nexample {example.ToJsonString()}");
    }

    [Test]
    public void RequestsNameWhatTheyMustHold()
    {
        Assert.Multiple(() =>
        {
            var listing = Schema("ListingRequest");
            Assert.That(listing["required"]!.AsArray().Select(r => r!.GetValue<string>()),
                Is.EquivalentTo(new[] { "title", "description", "field", "trl", "cooperationForms", "country" }));
            Assert.That(listing["properties"]!["trl"]!["type"]!.ToJsonString(), Does.Not.Contain("null"), "a required member is not nullable");
            Assert.That(Schema("MatchRequest")["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Contain("target"));
        });
    }

    [Test]
    public void AResponseMemberThatMayBeNullIsNotRequired()
    {
        // The server leaves null members out of what it writes.
        Assert.Multiple(() =>
        {
            foreach (var (name, schema) in Schemas().Where(s => !s.Name.EndsWith("Request", StringComparison.Ordinal)))
                foreach (var member in schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [])
                {
                    var property = schema["properties"]![member]!;
                    var nullable = property["type"]?.ToJsonString().Contains("\"null\"") == true
                                   || property["oneOf"]?.AsArray().Any(o => o!["type"]?.GetValue<string>() == "null") == true;
                    Assert.That(nullable, Is.False, $"{name}.{member} is required but may be null (and is then left out)");
                }
        });
        Assert.That(Schema("ApiKeyResponse")["required"]!.AsArray().Select(r => r!.GetValue<string>()), Does.Not.Contain("revokedAt"));
    }

    [TestCase("/api/v1/offers/{id}")]
    [TestCase("/api/v1/needs/{id}")]
    [TestCase("/api/v1/glossary/{id}")]
    [TestCase("/api/v1/lexicon/{id}")]
    public void VersionedResourcesDocumentIfMatchAndETag(string path)
    {
        var item = Document["paths"]![path]!;
        Assert.Multiple(() =>
        {
            foreach (var method in new[] { "put", "delete" })
                Assert.That(item[method]!["parameters"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == "If-Match" && p["in"]!.GetValue<string>() == "header"),
                    $"{method} {path} takes If-Match");
            Assert.That(item["get"]!["responses"]!["200"]!["headers"]?["ETag"], Is.Not.Null, $"GET {path} answers an ETag");
            Assert.That(item["put"]!["responses"]!["200"]!["headers"]?["ETag"], Is.Not.Null, $"PUT {path} answers an ETag");
        });
    }

    [Test]
    public void NumbersAreNumbersOnly()
    {
        var json = Document.ToJsonString();
        Assert.That(json, Does.Not.Contain("\"pattern\":\"^-?(?:0|[1-9]\\\\d*)$\""), "numbers are not also strings");
        var mixed = new List<string>();
        void Walk(JsonNode? node, string at)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["type"] is JsonArray types)
                    {
                        var names = types.Select(t => t!.GetValue<string>()).ToList();
                        if (names.Contains("string") && (names.Contains("integer") || names.Contains("number"))) mixed.Add(at);
                    }
                    foreach (var (key, value) in o) Walk(value, $"{at}/{key}");
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{at}/{i}");
                    break;
            }
        }
        Walk(Document, "");
        Assert.That(mixed, Is.Empty);
    }
}
