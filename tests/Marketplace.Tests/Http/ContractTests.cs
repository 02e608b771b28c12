using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Marketplace.Tests.Http;

/// <summary>
/// The served document against the contract users are promised (<c>docs/API.md</c>, a copy of the
/// shared contract): every call it names is an operation of the document.
/// </summary>
public sealed partial class ContractTests
{
    static string Contract() => File.ReadAllText(RepositoryFiles.Find("docs/API.md"));

    [Test]
    public void TheCopyOfTheContractIsTheSharedOne()
    {
        // Where the shared contract is at hand (beside the repository), the copy must not have drifted.
        var shared = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryFiles.Find("docs/API.md"))!, "..", "..", "shared", "API.md"));
        if (!File.Exists(shared)) Assert.Ignore($"No shared contract at {shared}; the copy is what is checked.");
        Assert.That(Contract(), Is.EqualTo(File.ReadAllText(shared)));
    }

    [Test]
    public async Task EveryCallOfTheContractIsAnOperationOfTheDocument()
    {
        using var app = new TestApp();
        var document = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {Normalize(p.Key)}"))
            .ToHashSet();

        var text = Contract();
        // The contract writes most calls under the base path /api/v1 without it.
        var calls = Call().Matches(text)
            .Select(m => (Method: m.Groups[1].Value, Path: m.Groups[2].Value))
            .Select(c => $"{c.Method} {Normalize(c.Path.StartsWith("/api/", StringComparison.Ordinal) ? c.Path : "/api/v1" + c.Path)}")
            .ToHashSet();
        // "Calls, the same for /needs": every call on /offers is promised on /needs too.
        foreach (var call in calls.Where(c => c.Contains("/offers")).ToList()) calls.Add(call.Replace("/offers", "/needs"));
        Assert.That(calls, Has.Count.GreaterThanOrEqualTo(12), "the contract's calls were read");
        Assert.That(calls.Where(c => !operations.Contains(c)), Is.Empty, "calls of the contract missing from the document");

        // The other resources it names (those of the workflow and alerts issues come with them).
        string[] resources = ["/organizations", "/api-keys", "/glossary", "/taxonomy", "/admin/reindex", "/admin/index-status"];
        foreach (var resource in resources)
            Assert.That(operations.Any(o => o.Split(' ')[1].StartsWith("/api/v1" + resource, StringComparison.Ordinal)), resource);
        foreach (var health in new[] { "/health/live", "/health/ready" })
            Assert.That((await app.Anonymous().GetAsync(health)).StatusCode, Is.EqualTo(HttpStatusCode.OK), health);
    }

    /// <summary>Path parameters by position, not name: <c>/offers/{id}</c> and <c>/offers/{offerId}</c> are one path.</summary>
    static string Normalize(string path) => Parameter().Replace(path.TrimEnd('/'), "{}");

    /// <summary>A call as the contract writes it: <c>`GET /offers/{id}`</c>, <c>`POST /match`</c>, query strings aside.</summary>
    [GeneratedRegex(@"`(GET|POST|PUT|DELETE|PATCH) (/[^`?\s]*)")]
    private static partial Regex Call();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
