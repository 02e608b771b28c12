using System.Net;
using System.Net.Http.Json;
using System.Text;
using Marketplace.Contracts;

namespace Marketplace.Tests.Processes;

/// <summary>A bulk body of any size and shape keeps the API's memory flat: a line over the limit is skipped as it streams in.</summary>
[NonParallelizable]
public sealed class BulkMemoryTests
{
    /// <summary>The body of a bulk request: a good line, one line of <paramref name="hugeBytes"/>, another good line, written as they are sent.</summary>
    sealed class StreamedBody(long hugeBytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Samples.RussianPump("before")) + "\n"));
            var chunk = Encoding.UTF8.GetBytes(new string('a', 1 << 20));
            await stream.WriteAsync("{\"externalRef\":\"huge\",\"title\":{\"ru\":\""u8.ToArray());
            for (long sent = 0; sent < hugeBytes; sent += chunk.Length) await stream.WriteAsync(chunk);
            await stream.WriteAsync("\"}}\n"u8.ToArray());
            await stream.WriteAsync(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Samples.ChinesePump("after")) + "\n"));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }

    [Test]
    public async Task ALineOfTwoHundredMegabytesFailsAloneAndMemoryStaysFlat()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var api = await ApiProcess.StartAsync(dataDir);
            // Warm up the bulk path, so what follows measures the line, not the first request.
            using (var warm = new StreamedBody(1 << 20) { Headers = { ContentType = new("application/x-ndjson") } })
                (await api.Client.PostAsync("/api/v1/offers/bulk", warm)).EnsureSuccessStatusCode();
            var before = api.PeakResidentBytes();

            using var body = new StreamedBody(200L << 20);
            body.Headers.ContentType = new("application/x-ndjson");
            var response = await api.Client.PostAsync("/api/v1/offers/bulk", body);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var result = (await response.Content.ReadFromJsonAsync<BulkResponse>(Json.Options))!;
            Assert.That((result.Unchanged, result.Failed), Is.EqualTo((2L, 1L)), "the good lines beside it were taken (unchanged since the warm-up)");
            Assert.That((result.Errors.Single().Line, result.Errors.Single().Problem.Status), Is.EqualTo((2L, 413)));
            var growth = api.PeakResidentBytes() - before;
            TestContext.Progress.WriteLine($"peak resident memory {before / 1048576} MB before, grew by {growth / 1048576.0:F1} MB for a 200 MB line");
            Assert.That(growth, Is.LessThan(64L << 20), "memory stays flat: the line is never held");
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>Over a real server a body over the limit is refused before it is read, in the caller's language.</summary>
[NonParallelizable]
public sealed class BodyLimitTests
{
    [Test]
    public async Task ABodyOverOneMegabyteIsA413InTheCallersLanguage()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var api = await ApiProcess.StartAsync(dataDir);
            var body = Samples.RussianPump("large");
            body["description"] = new { ru = new string('н', 700_000) }; // 1.4 MB of UTF-8
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/offers") { Content = JsonContent.Create(body) };
            request.Headers.AcceptLanguage.ParseAdd("zh");

            var response = await api.Client.SendAsync(request);

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
            var problem = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.That(problem["title"]!.GetValue<string>(), Is.EqualTo("内容过大。"));
            Assert.That(problem["detail"]!.GetValue<string>(), Does.Contain("1024 KB"));
        }
        finally
        {
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
