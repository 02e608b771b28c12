using System.Text.Json.Nodes;

namespace Marketplace.Tests.Search;

/// <summary>
/// The <c>listings</c> alias and the indices of a scripted cluster, changed by index create and delete
/// and by <c>_aliases</c> the way a node changes them, and answered in Elasticsearch's shapes: what the
/// rebuild and start-up tests need to see where the alias points in the end. Other calls return null
/// (the test's script answers them).
/// </summary>
public sealed class ScriptedIndices(params (string Name, bool Aliased)[] indices)
{
    readonly Dictionary<string, bool> _indices = indices.ToDictionary(i => i.Name, i => i.Aliased);

    public IReadOnlyList<string> Names
    {
        get { lock (_indices) return _indices.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    public IReadOnlyList<string> Aliased
    {
        get { lock (_indices) return _indices.Where(i => i.Value).Select(i => i.Key).Order(StringComparer.Ordinal).ToList(); }
    }

    public (int Status, string Body)? Answer(string method, string path, string body)
    {
        var route = path.Split('?')[0];
        lock (_indices)
            return (method, route) switch
            {
                ("GET", "/_alias/listings") => Aliased.Count == 0
                    ? (404, """{"error":"alias [listings] missing","status":404}""")
                    : (200, Json(Aliased)),
                ("GET", "/listings-v*/_alias") => (200, Json(Names)),
                ("PUT", _) when route.StartsWith("/listings-v") => Create(route[1..], body),
                ("DELETE", _) when route.StartsWith("/listings-v") => Delete(route[1..]),
                ("POST", "/_aliases") => Swap(body),
                ("POST", _) when route.EndsWith("/_refresh") => (200, """{"_shards":{"total":1,"successful":1,"failed":0}}"""),
                ("POST", "/_bulk") => (200, Indexed(body)),
                _ => null,
            };
    }

    // GET _alias: every index with the aliases it has.
    string Json(IEnumerable<string> names) => new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)new JsonObject
    {
        ["aliases"] = _indices[n] ? new JsonObject { ["listings"] = new JsonObject { ["is_write_index"] = true } } : new JsonObject(),
    }))).ToJsonString();

    (int, string) Create(string name, string body)
    {
        if (_indices.ContainsKey(name))
            return (400, $$"""{"error":{"root_cause":[{"type":"resource_already_exists_exception","reason":"index [{{name}}/Xq3wzX1pQ0eV9qWb2Yx8tA] already exists","index_uuid":"Xq3wzX1pQ0eV9qWb2Yx8tA","index":"{{name}}"}],"type":"resource_already_exists_exception","reason":"index [{{name}}/Xq3wzX1pQ0eV9qWb2Yx8tA] already exists","index_uuid":"Xq3wzX1pQ0eV9qWb2Yx8tA","index":"{{name}}"},"status":400}""");
        _indices[name] = JsonNode.Parse(body)?["aliases"]?["listings"] is not null;
        return (200, $$"""{"acknowledged":true,"shards_acknowledged":true,"index":"{{name}}"}""");
    }

    (int, string) Delete(string name) => _indices.Remove(name)
        ? (200, """{"acknowledged":true}""")
        : (404, $$"""{"error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [{{name}}]","index":"{{name}}"}],"type":"index_not_found_exception","reason":"no such index [{{name}}]","index":"{{name}}"},"status":404}""");

    (int, string) Swap(string body)
    {
        foreach (var action in JsonNode.Parse(body)!["actions"]!.AsArray())
        {
            if (action!["remove"] is { } remove) _indices[remove["index"]!.GetValue<string>()] = false;
            if (action["add"] is { } add) _indices[add["index"]!.GetValue<string>()] = true;
        }
        return (200, """{"acknowledged":true}""");
    }

    static string Indexed(string lines)
    {
        var items = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!["index"]).Where(a => a is not null)
            .Select(a => $$$"""{"index":{"_index":"{{{a!["_index"]}}}","_id":"{{{a["_id"]}}}","_version":1,"result":"created","status":201}}""");
        return $$"""{"took":2,"errors":false,"items":[{{string.Join(",", items)}}]}""";
    }
}
