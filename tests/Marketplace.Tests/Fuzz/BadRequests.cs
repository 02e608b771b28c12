using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Tests.Fuzz;

/// <summary>One operation of the OpenAPI document: method, path template, parameters and body schema.</summary>
public sealed record Operation(string Method, string Path, IReadOnlyList<(string Name, string In)> Parameters, string? BodyMediaType, JsonObject? BodySchema)
{
    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every operation of a served document, with its body schema resolved.</summary>
    public static IReadOnlyList<Operation> From(JsonNode document)
    {
        var schemas = document["components"]?["schemas"]?.AsObject();
        JsonObject? Resolve(JsonNode? schema) =>
            schema?["$ref"]?.GetValue<string>() is { } reference ? schemas?[reference.Split('/')[^1]]?.AsObject() : schema as JsonObject;
        var operations = new List<Operation>();
        foreach (var (path, methods) in document["paths"]!.AsObject())
            foreach (var (method, operation) in methods!.AsObject())
            {
                var parameters = (operation!["parameters"]?.AsArray() ?? [])
                    .Select(p => (p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>())).ToList();
                var content = operation["requestBody"]?["content"]?.AsObject().FirstOrDefault();
                operations.Add(new Operation(method.ToUpperInvariant(), path, parameters, content?.Key, Resolve(content?.Value?["schema"])));
            }
        return operations;
    }
}

/// <summary>A request to send: what it is, and how to build it.</summary>
public sealed record BadRequest(string Description, string Method, string PathAndQuery, HttpContent? Body, IReadOnlyList<(string Name, string Value)> Headers);

/// <summary>
/// Bad requests for an operation, made from its declaration: wrong types, missing and extra members,
/// huge and control-character strings, bad codes, ids, cursors, headers and query syntax. A valid
/// body is the starting point, so each request is wrong in one way (or a few), as real mistakes are.
/// </summary>
public sealed class BadRequests(Random random, IReadOnlyDictionary<string, JsonObject> validBodies, IReadOnlyDictionary<string, string> validIds)
{
    static readonly string Huge = new('界', 300_000);
    static readonly string[] Controls = ["\u0000", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\ufeff", "\uffff"];

    static readonly string[] BadStrings =
    [
        "", " ", "\u0000", "a\u0000b", "\u001b[2J", new string('x', 5_000), "насос 泵", "' OR 1=1 --", "<script>alert(1)</script>",
        "../../etc/passwd", "%00", "${jndi:ldap://x}", "\\", "\"", "null", "🦀🦀", "\u202Eevil", "ＡＢＣ",
    ];

    static readonly JsonNode?[] WrongTypes =
    [
        null, true, 0, -1, 1.5, 1e308, long.MaxValue, "text", new JsonArray(), new JsonArray(1, 2), new JsonObject(),
        new JsonObject { ["zh"] = 1 }, new JsonArray("a", null),
    ];

    T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Up to <paramref name="count"/> bad requests for <paramref name="operation"/>, chosen at random from all kinds.</summary>
    public IEnumerable<BadRequest> For(Operation operation, int count)
    {
        var makers = new List<Func<BadRequest>>();
        var hasId = operation.Parameters.Any(p => p.In == "path");
        var queries = operation.Parameters.Where(p => p.In == "query").Select(p => p.Name).ToList();
        if (hasId) makers.Add(() => WithId(operation, BadId()));
        foreach (var name in queries) makers.Add(() => WithQuery(operation, name, BadQueryValue(name)));
        if (queries.Count > 0) makers.Add(() => WithRawQuery(operation, Pick(RawQueries)));
        makers.Add(() => WithHeader(operation, Pick(BadHeaders)));
        if (operation.BodyMediaType is not null)
        {
            var properties = operation.BodySchema?["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
            foreach (var property in properties) makers.Add(() => MutatedMember(operation, property));
            makers.Add(() => MutatedNested(operation));
            makers.Add(() => RawBody(operation));
            if (operation.BodyMediaType == "application/x-ndjson") makers.Add(() => BadNdjson(operation));
        }
        for (var i = 0; i < count; i++) yield return Pick(makers)();
    }

    // --- paths -----------------------------------------------------------------------------------

    // NUL is left out of paths: servers refuse it before any application sees it (and the test host cannot even send it).
    static readonly string[] BadPathStrings = BadStrings.Where(s => !s.Contains('\0')).ToArray();

    string BadId() => random.Next(6) switch
    {
        0 => Pick(BadPathStrings),
        1 => new string('a', random.Next(200, 20_000)),
        2 => Pick(validIds.Values.ToList()), // a real id, of another kind or another organization's draft
        3 => Guid.NewGuid().ToString(),
        4 => "of_" + Pick(Controls.Where(c => c != "\u0000").ToList()) + "x",
        _ => ".",
    };

    string Path(Operation operation, string? id = null)
    {
        var path = operation.Path;
        if (path.Contains("{id}"))
            path = path.Replace("{id}", Uri.EscapeDataString(id ?? ValidIdFor(operation.Path)));
        return path;
    }

    string ValidIdFor(string path) =>
        path.StartsWith("/api/v1/needs", StringComparison.Ordinal) ? validIds["need"]
        : path.StartsWith("/api/v1/glossary", StringComparison.Ordinal) ? validIds["term"]
        : path.StartsWith("/api/v1/organizations", StringComparison.Ordinal) ? validIds["organization"]
        : path.StartsWith("/api/v1/api-keys", StringComparison.Ordinal) ? validIds["key"]
        : validIds["offer"];

    BadRequest WithId(Operation operation, string id) =>
        Request(operation, $"id {Shorten(id)}", Path(operation, id), ValidBody(operation));

    // --- queries ---------------------------------------------------------------------------------

    static readonly string[] RawQueries =
    [
        "q=title:(*", "q=%22unterminated", "q=AND%20OR%20NOT", "q=*", "q=%3F~%5E2", "q=%00", "q=%E4%B8", "limit=1&limit=2",
        "limit=%20", "cursor=o%3A-1", "cursor=bzo5OTk5OTk5OTk5OQ%3D%3D", "cursor=%FF%FE", "form=&form=", "trlMin=9&trlMax=1",
        "unknown=1", "explain=maybe", "field[]=x", "q=" + new string('泵', 2_000), "%zz=1", "=&=&",
    ];

    string BadQueryValue(string name) => name.ToLowerInvariant() switch
    {
        "limit" or "trlmin" or "trlmax" => Pick(["0", "-1", "101", "1e3", "abc", "2147483648", "1.5", "", " 5", "0x10"]),
        "explain" => Pick(["maybe", "2", "", "yes", "TRUE1"]),
        "cursor" => Pick(["not-a-cursor", Convert.ToBase64String(Encoding.UTF8.GetBytes("o:-5")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("o:100000000")), "====", new string('A', 10_000), "\u0000"]),
        "field" or "country" or "lang" or "form" => Pick(["pumps", "ZZ", "de", "", "RU ", "ru", "\u0000", new string('x', 3_000)]),
        _ => Pick(BadStrings),
    };

    BadRequest WithQuery(Operation operation, string name, string value) =>
        Request(operation, $"{name}={Shorten(value)}", $"{Path(operation)}?{name}={Uri.EscapeDataString(value)}", ValidBody(operation));

    BadRequest WithRawQuery(Operation operation, string query) =>
        Request(operation, $"?{Shorten(query)}", $"{Path(operation)}?{query}", ValidBody(operation));

    // --- headers ---------------------------------------------------------------------------------

    static readonly (string Name, string Value)[] BadHeaders =
    [
        ("If-Match", "\"-1\""), ("If-Match", "W/\"abc\", *, \"\""), ("If-Match", new string('"', 5_000)), ("If-Match", "\"99999999999999999999\""),
        ("Accept-Language", "xx-YY;q=abc"), ("Accept-Language", "*;q=0, zh;q=2"), ("Accept-Language", new string('a', 4_000)),
        ("Accept-Language", "ru-RU, zh-Hant-TW;q=0.5"), ("Content-Type", "application/json; charset=koi8-r"), ("Content-Type", "text/plain"),
        ("Content-Type", "application/xml"), ("Content-Type", "multipart/form-data; boundary=x"), ("Content-Type", "application/json; charset=utf-16"),
        ("X-Api-Key", " "), ("X-Api-Key", "mk_" + new string('x', 4_000)), ("X-Forwarded-For", "not-an-address"),
        ("Accept", "application/xml"), ("Content-Encoding", "gzip"),
    ];

    BadRequest WithHeader(Operation operation, (string Name, string Value) header) =>
        Request(operation, $"header {header.Name}: {Shorten(header.Value)}", Path(operation), ValidBody(operation), [header]);

    // --- bodies ----------------------------------------------------------------------------------

    /// <summary>A valid body for the operation (by the path it is sent to), to spoil in one place.</summary>
    JsonObject? ValidObject(Operation operation)
    {
        if (operation.BodyMediaType is null) return null;
        var key = validBodies.Keys.FirstOrDefault(k => operation.Path.EndsWith(k, StringComparison.Ordinal) || operation.Path.Contains(k + "/", StringComparison.Ordinal));
        return key is null ? new JsonObject() : validBodies[key].DeepClone().AsObject();
    }

    HttpContent? ValidBody(Operation operation) =>
        operation.BodyMediaType is null ? null : Json(operation, ValidObject(operation)!.ToJsonString());

    static HttpContent Json(Operation operation, string text, string? mediaType = null)
    {
        var body = operation.BodyMediaType == "application/x-ndjson" ? text.ReplaceLineEndings(" ") + "\n" : text;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType ?? operation.BodyMediaType!);
        return content;
    }

    BadRequest MutatedMember(Operation operation, string member)
    {
        var body = ValidObject(operation) ?? new JsonObject();
        var name = body.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, member, StringComparison.OrdinalIgnoreCase)) ?? member;
        string what;
        switch (random.Next(6))
        {
            case 0:
                body.Remove(name);
                what = $"without {name}";
                break;
            case 1:
                var wrong = Pick(WrongTypes)?.DeepClone();
                body[name] = wrong;
                what = $"{name} = {Shorten(wrong?.ToJsonString() ?? "null")}";
                break;
            case 2:
                body[name] = Huge;
                what = $"{name} = 300,000 characters";
                break;
            case 3:
                body[name] = "x" + Pick(Controls) + "y";
                what = $"{name} with a control character";
                break;
            case 4:
                body["extra_" + random.Next(1000)] = "value";
                body[name] = Pick(BadStrings);
                what = $"{name} = {Shorten(body[name]!.ToJsonString())} and an unknown member";
                break;
            default:
                body[name] = Pick(BadStrings);
                what = $"{name} = {Shorten(body[name]!.ToJsonString())}";
                break;
        }
        return Request(operation, what, Path(operation), Json(operation, body.ToJsonString()));
    }

    /// <summary>One level down: a language of a text, a keyword, a cooperation form, a patent.</summary>
    BadRequest MutatedNested(Operation operation)
    {
        var body = ValidObject(operation) ?? new JsonObject();
        var (path, value) = random.Next(9) switch
        {
            0 => ("title", (JsonNode)new JsonObject { ["zh"] = "Насос высокого напора" }),
            1 => ("title", new JsonObject { ["ru"] = "Насос\u0000" }),
            2 => ("description", new JsonObject { ["zh"] = Huge }),
            3 => ("keywords", new JsonObject { ["ru"] = new JsonArray(Enumerable.Range(0, 500).Select(i => (JsonNode)$"насос{i}").ToArray()) }),
            4 => ("cooperationForms", new JsonArray("licensing", "licensing", "barter")),
            5 => ("ip", new JsonObject { ["status"] = "stolen", ["patents"] = new JsonArray(null, "", Huge) }),
            6 => ("name", new JsonObject { ["zh"] = "\ud800", ["de"] = "Firma" }),
            7 => ("zhSynonyms", new JsonArray("a;b", null, new string('泵', 500))),
            _ => ("trl", JsonValue.Create(int.MinValue)),
        };
        body[path] = value;
        return Request(operation, $"{path} = {Shorten(value.ToJsonString())}", Path(operation), Json(operation, body.ToJsonString()));
    }

    BadRequest RawBody(Operation operation)
    {
        var (what, content) = random.Next(10) switch
        {
            0 => ("an empty body", new ByteArrayContent([])),
            1 => ("null", Json(operation, "null")),
            2 => ("an array", Json(operation, "[]")),
            3 => ("truncated JSON", Json(operation, "{\"title\": {\"zh\": ")),
            4 => ("JSON nested 10,000 deep", Json(operation, new string('[', 10_000) + new string(']', 10_000))),
            5 => ("bytes that are not UTF-8", Bytes(operation, [0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x7D])),
            6 => ("a body of 2 MB", Json(operation, "{\"title\":{\"zh\":\"" + new string('泵', 700_000) + "\"}}")),
            7 => ("JSON with a comment and a trailing comma", Json(operation, "{/*x*/\"field\":\"biotech\",}")),
            8 => ("form data", new FormUrlEncodedContent([new("title", "x")])),
            _ => ("JSON sent as text/plain", Json(operation, ValidObject(operation)!.ToJsonString(), "text/plain")),
        };
        return Request(operation, what, Path(operation), content);
    }

    static HttpContent Bytes(Operation operation, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(operation.BodyMediaType!);
        return content;
    }

    BadRequest BadNdjson(Operation operation)
    {
        var line = ValidObject(operation)!;
        line["externalRef"] = "fuzz-" + random.Next(1_000_000);
        var broken = line.DeepClone().AsObject();
        broken["trl"] = "seven";
        var lines = random.Next(4) switch
        {
            0 => new[] { "{", broken.ToJsonString(), "[]", "null", "\"text\"" },
            1 => [broken.ToJsonString(), new string(' ', 10), "\u0000\u0000"],
            2 => ["{\"externalRef\":\"" + Huge + "\"}", broken.ToJsonString()],
            _ => [new string('{', 5_000)],
        };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        return Request(operation, "NDJSON with only bad lines", Path(operation), content);
    }

    static BadRequest Request(Operation operation, string what, string pathAndQuery, HttpContent? body, IReadOnlyList<(string, string)>? headers = null) =>
        new($"{operation}: {what}", operation.Method, pathAndQuery, body, headers ?? []);

    static string Shorten(string text) => text.Length <= 40 ? JsonSerializer.Serialize(text) : JsonSerializer.Serialize(text[..40]) + "…";
}
