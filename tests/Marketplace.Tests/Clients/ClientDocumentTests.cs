using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Marketplace.Tests.Clients;

/// <summary>
/// The .NET client (<c>Client/</c>) is generated from <c>Client/openapi.json</c>; that copy must be the
/// document the server serves, or the client drifts from the API. CI regenerates the client from the
/// copy and fails when the committed code differs (<c>Client/generate.sh</c>).
/// </summary>
public sealed class ClientDocumentTests
{
    const string Copy = "Client/openapi.json";
    /// <summary>Set to 1 to write the served document over the copy (Client/generate.sh --document does).</summary>
    const string UpdateVariable = "MARKETPLACE_UPDATE_CLIENT_DOCUMENT";

    [Test]
    public async Task TheClientIsGeneratedFromTheServedDocument()
    {
        using var app = new TestApp();
        var served = JsonNode.Parse(await app.Anonymous().GetStringAsync("/openapi/v1.json"))!.AsObject();
        // The address the document was read from is the reader's, not the API's: a client is given its own.
        served.Remove("servers");
        var path = RepositoryFiles.Find(Copy);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            var text = served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            await File.WriteAllTextAsync(path, text.ReplaceLineEndings("\n") + "\n");
        }
        var copy = JsonNode.Parse(await File.ReadAllTextAsync(path));
        Assert.That(JsonNode.DeepEquals(served, copy), Is.True,
            $"{Copy} is not the served document: run Client/generate.sh --document, and commit the document with the regenerated client.");
    }
}
