using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Marketplace.Tests;

/// <summary>
/// Every answer the HTTP tests receive is checked against the served OpenAPI document: its status
/// must be declared for the operation, and a JSON body must validate against the declared schema
/// (JSON Schema 2020-12, the document's components resolving the references). A test whose answer
/// breaks the contract fails, whatever it asserts itself.
/// </summary>
public sealed class ResponseSchemas : DelegatingHandler
{
    static JsonNode? _document;
    static List<(Regex Path, string Template)>? _paths;
    static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();
    static readonly SemaphoreSlim Loading = new(1, 1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        // A request the test gave up on gets the in-process server's 499 (client closed), never an answer.
        if (ct.IsCancellationRequested || (int)response.StatusCode == 499) return response;
        var path = request.RequestUri!.AbsolutePath;
        if (path.StartsWith("/openapi", StringComparison.Ordinal) || path.StartsWith("/swagger", StringComparison.Ordinal)) return response;
        await LoadAsync(ct);
        if (Operation(request.Method.Method.ToLowerInvariant(), path) is not { } operation) return response;

        var status = ((int)response.StatusCode).ToString();
        var declared = operation.Node["responses"]?[status] ?? operation.Node["responses"]?["default"];
        if (declared is null)
            throw new AssertionException($"{request.Method} {operation.Template} answered {status}, which the document does not declare for it.");
        if (response.Content.Headers.ContentType?.MediaType is not { } mediaType || !mediaType.Contains("json")) return response;
        if (declared["content"]?[mediaType]?["schema"] is not { } schema)
            throw new AssertionException($"{request.Method} {operation.Template} answered {status} as {mediaType}, which the document does not declare.");

        await response.Content.LoadIntoBufferAsync(ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        var result = Schema(schema).Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Values.Select(e => $"{d.InstanceLocation}: {e}")).Distinct().Take(10);
            throw new AssertionException(
                $"{request.Method} {operation.Template} answered {status} with a body its schema refuses:\n  {string.Join("\n  ", errors)}\n{body[..Math.Min(body.Length, 600)]}");
        }
        return response;
    }

    async Task LoadAsync(CancellationToken ct)
    {
        if (_document is not null) return;
        await Loading.WaitAsync(ct);
        try
        {
            if (_document is not null) return;
            using var answer = await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://localhost/openapi/v1.json"), ct);
            var document = JsonNode.Parse(await answer.Content.ReadAsStringAsync(ct))!;
            _paths = document["paths"]!.AsObject()
                .Select(p => (new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^}]+}", "[^/]+") + "/?$"), p.Key))
                // Literal paths before templated ones: /needs/bulk is not /needs/{id}.
                .OrderBy(p => p.Key.Count(c => c == '{'))
                .ToList();
            _document = document;
        }
        finally
        {
            Loading.Release();
        }
    }

    static (string Template, JsonNode Node)? Operation(string method, string path)
    {
        foreach (var (regex, template) in _paths!)
            if (regex.IsMatch(path))
                return _document!["paths"]![template]![method] is { } node ? (template, node) : null;
        return null;
    }

    /// <summary>The declared schema as a schema of its own, the document's components beside it for its references.</summary>
    static JsonSchema Schema(JsonNode declared) => Schemas.GetOrAdd(declared.ToJsonString(), text =>
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"https://marketplace.test/responses/{Guid.NewGuid():N}.json",
            ["allOf"] = new JsonArray(JsonNode.Parse(text)),
            ["components"] = WithoutExtensions(_document!["components"]!.DeepClone()),
        };
        return JsonSchema.FromText(root.ToJsonString());
    });

    /// <summary>
    /// The schemas without OpenAPI's <c>x-</c> extensions (such as Kiota's <c>x-ms-primary-error-message</c>),
    /// which OpenAPI allows in a schema and the JSON Schema dialect does not know.
    /// </summary>
    internal static JsonNode WithoutExtensions(JsonNode node)
    {
        if (node is JsonObject members)
        {
            foreach (var name in members.Select(m => m.Key).Where(k => k.StartsWith("x-", StringComparison.Ordinal)).ToList()) members.Remove(name);
            foreach (var (_, value) in members) if (value is not null) WithoutExtensions(value);
        }
        else if (node is JsonArray items)
            foreach (var item in items) if (item is not null) WithoutExtensions(item);
        return node;
    }
}
