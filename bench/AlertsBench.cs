using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Marketplace.Cli;
using Marketplace.Contracts;
using Microsoft.Data.Sqlite;

namespace Marketplace.Bench;

/// <summary>
/// Issue 13's figures: the same bulk import with and without organizations subscribed to match.found
/// (each with a published need of its own and a webhook), and the time from a new listing's write to
/// its first match.found at a real receiver.
/// </summary>
static class AlertsBench
{
    const string ReceiverPrefix = "http://127.0.0.1:5199/";

    public static async Task<string> RunAsync(int size, int subscribers, int probes)
    {
        var work = Directory.CreateTempSubdirectory("marketplace-bench-alerts").FullName;
        var (offers, needs) = await CorpusFilesAsync(work, size);

        double without;
        using (var api = new ApiProcess(5191))
        {
            // The same organizations and needs, without subscriptions or webhooks: both processes are as warm when the import starts.
            await SubscribeAsync(api, subscribers, work, subscribe: false);
            await DrainAsync(api, TimeSpan.FromMinutes(10));
            without = await ImportAsync(api, offers, needs, size);
            Console.WriteLine($"Without alerts: {without:N0} listings/s");
        }

        using var receiver = new Receiver(ReceiverPrefix);
        using var alerting = new ApiProcess(5192, new Dictionary<string, string> { ["Marketplace:Webhooks:AllowPrivateTargets"] = "true" });
        var watch = Stopwatch.StartNew();
        var subscriberNeeds = await SubscribeAsync(alerting, subscribers, work);
        Console.WriteLine($"{subscribers:N0} organizations subscribed, each with a need and a webhook ({watch.Elapsed.TotalSeconds:N0} s)");
        await DrainAsync(alerting, TimeSpan.FromMinutes(10));
        var before = receiver.Count;
        var with = await ImportAsync(alerting, offers, needs, size);
        Console.WriteLine($"With alerts: {with:N0} listings/s ({100 * with / without:N0} % of the rate without)");
        watch.Restart();
        await DrainAsync(alerting, TimeSpan.FromMinutes(60));
        var drained = watch.Elapsed;
        await Task.Delay(2000);
        var alerted = receiver.Count - before;
        Console.WriteLine($"Alert backlog drained {drained.TotalSeconds:N0} s after the import answered; {alerted:N0} match.found delivered");

        // New listings one at a time: an offer written like a subscriber's need, so it matches it.
        var latencies = new List<double>();
        var random = new Random(2026);
        for (var i = 0; i < probes; i++)
        {
            var need = subscriberNeeds[random.Next(subscriberNeeds.Count)];
            var offer = JsonNode.Parse(need.ToJsonString())!.AsObject();
            offer["externalRef"] = $"probe-{i}";
            offer.Remove("organizationId");
            var response = await alerting.Client.PostAsJsonAsync("/api/v1/offers", offer);
            response.EnsureSuccessStatusCode();
            var written = DateTimeOffset.UtcNow;
            var id = (await response.Content.ReadFromJsonAsync<ListingResponse>(BenchTools.Json))!.Id;
            var deadline = Stopwatch.StartNew();
            while (!receiver.FirstFor.ContainsKey(id) && deadline.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
            latencies.Add(receiver.FirstFor.TryGetValue(id, out var at) ? (at - written).TotalMilliseconds : 30_000);
            await Task.Delay(200);
        }
        var first = Percentiles.Of(latencies);
        Console.WriteLine($"First match.found after a write: p50 {first.P50:N0} ms, p99 {first.P99:N0} ms ({probes} listings)");
        Directory.Delete(work, recursive: true);

        return $"""
            ## Alerts at {size:N0} listings

            `dotnet run -c Release --project bench -- alerts --size {size} --subscribers {subscribers}` on {DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores; the generated corpus of the embedded run, imported into a fresh embedded stack twice after {subscribers:N0} organizations published a need each: once without subscriptions, once with all of them subscribed to match.found (threshold 0.5) and a webhook each to a receiver on loopback.

            | measure | result | target |
            |---|---:|---:|
            | bulk import without alerts | {without:N0} listings/s |  |
            | bulk import with {subscribers:N0} subscribed organizations | {with:N0} listings/s ({100 * with / without:N0} %) | >= 75 % |
            | alert backlog drained after the import answered | {drained.TotalSeconds:N0} s ({alerted:N0} match.found delivered) |  |
            | first match.found at the receiver after a new listing's write ({probes} listings, one at a time, after the import) | p50 {first.P50:N0} ms, p99 {first.P99:N0} ms | p99 <= 2,000 ms |
            """;
    }

    static async Task<(string Offers, string Needs)> CorpusFilesAsync(string work, int size)
    {
        var offers = Path.Combine(work, "offers.ndjson");
        var needs = Path.Combine(work, "needs.ndjson");
        await using var o = new StreamWriter(offers);
        await using var n = new StreamWriter(needs);
        foreach (var listing in BenchTools.Corpus(size))
            await (listing["ref"]!.GetValue<string>().StartsWith("O-") ? o : n).WriteLineAsync(BenchTools.ToApiLine(listing));
        return (offers, needs);
    }

    static async Task<double> ImportAsync(ApiProcess api, string offers, string needs, int size)
    {
        var watch = Stopwatch.StartNew();
        foreach (var (collection, file) in new[] { ("offers", offers), ("needs", needs) })
        {
            var answer = await api.BulkAsync(collection, file);
            if (answer.Failed > 0) Console.WriteLine($"  {answer.Failed} lines refused");
        }
        return size / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Organizations with a subscription to match.found, a webhook and one published need each; the needs as sent.</summary>
    static async Task<List<JsonObject>> SubscribeAsync(ApiProcess api, int count, string work, bool subscribe = true)
    {
        var generator = ListingGenerator.Shipped(seed: 7);
        var needs = new List<JsonObject>();
        var file = Path.Combine(work, "subscriber-needs.ndjson");
        await using (var lines = new StreamWriter(file))
            for (var i = 0; i < count; i++)
            {
                var created = await api.Client.PostAsJsonAsync("/api/v1/organizations",
                    new { name = new { zh = $"订阅企业{i}", ru = $"Подписчик {i}" }, country = i % 2 == 0 ? "CN" : "RU", type = "enterprise" });
                var organization = (await created.Content.ReadFromJsonAsync<OrganizationResponse>(BenchTools.Json))!.Id;
                if (subscribe)
                {
                    (await api.Client.PutAsJsonAsync($"/api/v1/subscriptions/{organization}",
                        new { types = new[] { EventTypes.MatchFound }, threshold = 0.5 })).EnsureSuccessStatusCode();
                    (await api.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = ReceiverPrefix + "hook", organizationId = organization }))
                        .EnsureSuccessStatusCode();
                }
                var need = JsonNode.Parse(BenchTools.ToApiLine(generator.Next($"S-{i:D5}", need: true)))!.AsObject();
                need["organizationId"] = organization;
                needs.Add(need);
                await lines.WriteLineAsync(need.ToJsonString());
            }
        await api.BulkAsync("needs", file);
        return needs;
    }

    /// <summary>Waits until no listing waits to be indexed or matched for alerts (read from the database).</summary>
    static async Task DrainAsync(ApiProcess api, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(api.DataDir, "marketplace.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        while (watch.Elapsed < limit
               && await connection.ExecuteScalarAsync<long>("SELECT (SELECT COUNT(*) FROM match_outbox) + (SELECT COUNT(*) FROM index_outbox)") > 0)
            await Task.Delay(100);
    }

    /// <summary>A webhook receiver on loopback: when each new listing's first match.found arrived.</summary>
    sealed class Receiver : IDisposable
    {
        readonly HttpListener _listener = new();
        public ConcurrentDictionary<string, DateTimeOffset> FirstFor { get; } = new();
        int _count;
        public int Count => _count;

        public Receiver(string prefix)
        {
            _listener.Prefixes.Add(prefix);
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); }
                    catch (Exception) { return; }
                    var at = DateTimeOffset.UtcNow;
                    using (var reader = new StreamReader(context.Request.InputStream))
                        if (JsonNode.Parse(await reader.ReadToEndAsync())?["data"]?["match"]?["id"]?.GetValue<string>() is { } match)
                            FirstFor.TryAdd(match, at);
                    Interlocked.Increment(ref _count);
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
            });
        }

        public void Dispose() => _listener.Close();
    }
}
