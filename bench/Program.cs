using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Bench;
using Marketplace.Cli;
using Marketplace.Contracts;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.FirstOrDefault() is "alerts")
{
    var alertSize = int.Parse(BenchTools.Option(args, "--size", "100000")!);
    var section = await AlertsBench.RunAsync(alertSize, int.Parse(BenchTools.Option(args, "--subscribers", "1000")!),
        int.Parse(BenchTools.Option(args, "--probes", "200")!));
    var resultsFile = Path.Combine(BenchTools.RepoRoot(), "bench", "results.md");
    await File.WriteAllTextAsync(resultsFile, ResultsFile.MergeAlerts(File.Exists(resultsFile) ? await File.ReadAllTextAsync(resultsFile) : "", alertSize, section));
    Console.WriteLine(section);
    return 0;
}
if (args.FirstOrDefault() is not "all")
{
    Console.WriteLine("Usage: dotnet run -c Release --project bench -- all [--size 100000] [--embedded-only] [--dev data/dev] [--postgres <connection string>]");
    Console.WriteLine("       dotnet run -c Release --project bench -- alerts [--size 100000] [--subscribers 1000] [--probes 200]");
    return 2;
}
var size = BenchTools.Option(args, "--size", "100000") is var s && int.TryParse(s, out var n) ? n : 100_000;
// At a million listings only the embedded stack is measured: the floor and the peer would hold or load the whole corpus again.
var embeddedOnly = args.Contains("--embedded-only");
var dev = BenchTools.Option(args, "--dev", "data/dev")!;
var postgres = embeddedOnly ? null : BenchTools.Option(args, "--postgres", Environment.GetEnvironmentVariable("MARKETPLACE_TEST_POSTGRES"));
if (!embeddedOnly && !File.Exists(Path.Combine(dev, "qrels.tsv")))
{
    Console.Error.WriteLine($"No judged data set at '{Path.GetFullPath(dev)}' (offers.jsonl, needs.jsonl, qrels.tsv): run from the repository root or pass --dev <folder>.");
    return 2;
}
// Checked first: the load step comes after minutes of import work.
if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, "wrk"))))
{
    Console.Error.WriteLine("The benchmark loads the API with wrk, which is not installed: apt-get install -y wrk (Debian's package).");
    return 2;
}
var results = new Results(Environment.ProcessorCount, size, embeddedOnly);
var work = Directory.CreateTempSubdirectory("marketplace-bench-corpus").FullName;

// 1. The corpus: generated bilingual listings of realistic length, 70 % offers and 30 % needs, in growth steps.
// It is generated as it is imported, never held whole (a million listings are gigabytes of JSON objects);
// the same seed gives the same corpus again to the floor and the peer.
int[] steps = [.. new[] { 1_000, 10_000, 100_000 }.Where(x => x < size), size];
var corpus = BenchTools.Corpus(size).GetEnumerator();
var characters = new Dictionary<string, (long Sum, long Count)>();

using (var api = new ApiProcess(5190))
{
    var imported = 0;
    var importSeconds = 0.0;
    foreach (var step in steps)
    {
        var files = new Dictionary<string, StreamWriter>
        {
            ["offers"] = new(Path.Combine(work, $"offers-{step}.ndjson")), ["needs"] = new(Path.Combine(work, $"needs-{step}.ndjson")),
        };
        for (var i = imported; i < step && corpus.MoveNext(); i++)
        {
            var listing = corpus.Current;
            foreach (var (language, text) in listing["description"]!.AsObject())
            {
                var (sum, count) = characters.GetValueOrDefault(language);
                characters[language] = (sum + text!.GetValue<string>().Length, count + 1);
            }
            await files[listing["ref"]!.GetValue<string>().StartsWith("O-") ? "offers" : "needs"].WriteLineAsync(BenchTools.ToApiLine(listing));
        }
        foreach (var file in files.Values) await file.DisposeAsync();
        var watch = Stopwatch.StartNew();
        foreach (var collection in files.Keys)
        {
            var file = Path.Combine(work, $"{collection}-{step}.ndjson");
            var answer = await api.BulkAsync(collection, file);
            if (answer.Failed > 0) Console.WriteLine($"  {answer.Failed} lines refused, e.g. {JsonSerializer.Serialize(answer.Errors.FirstOrDefault())}");
            File.Delete(file);
        }
        importSeconds += watch.Elapsed.TotalSeconds;
        Console.WriteLine($"Imported {step:N0} listings ({(step - imported) / watch.Elapsed.TotalSeconds:N0}/s for this step).");
        imported = step;
        var settled = await api.SettleAsync(TimeSpan.FromMinutes(2));
        results.Settled.Add((step, settled.TotalSeconds));
        Console.WriteLine($"  settled (merges done) {settled.TotalSeconds:0.0} s after the import answered");

        var needIds = await BenchTools.NeedIdsAsync(api.Client, 1000);
        var match = await BenchTools.LatencyAsync(api.Client, needIds.Select(id => $"/api/v1/needs/{id}/matches?limit=10").ToList());
        var terms = new[] { "水泵", "激光", "电池", "疫苗", "насос", "лазер", "сварка", "покрытие", "传感器", "реактор" };
        var single = await BenchTools.LatencyAsync(api.Client, terms.Select(t => $"/api/v1/offers?q={Uri.EscapeDataString(t)}&limit=10").ToList());
        results.Latency.Add((step, match, single));
        Console.WriteLine($"  match p50 {match.P50:0.0} ms p99 {match.P99:0.0} ms; single-term search p50 {single.P50:0.0} ms; RSS {api.ResidentBytes() / 1048576.0:N0} MB");
    }
    results.ImportRate = imported / importSeconds;
    results.ResidentMb = api.ResidentBytes() / 1024.0 / 1024.0;
    results.IndexMb = api.IndexBytes() / 1024.0 / 1024.0;
    results.DatabaseMb = api.DatabaseBytes() / 1024.0 / 1024.0;
    results.Characters = characters.ToDictionary(c => c.Key, c => (double)c.Value.Sum / c.Value.Count);
    var loadNeeds = await BenchTools.NeedIdsAsync(api.Client, 3000);
    results.HttpNeeds = loadNeeds.Count;
    results.Http = Wrk.Run(api.Url, loadNeeds, TimeSpan.FromSeconds(15));
    results.ResidentAfterLoadMb = api.ResidentBytes() / 1024.0 / 1024.0;
    Console.WriteLine($"HTTP: {results.Http.RequestsPerSecond:N0} matches/s, {results.Http.Errors} errors; RSS {results.ResidentAfterLoadMb:N0} MB; index {results.IndexMb:N0} MB");
}

if (!embeddedOnly)
{
    // 2. The floor: the same documents straight into a bare Lucene index, batches of 1,000 with a commit each.
    results.LuceneRate = await Floor.LuceneRateAsync(BenchTools.Corpus(size));
    Console.WriteLine($"Raw Lucene indexing: {results.LuceneRate:N0} documents/s");

    // 3. Quality on the judged development set, ours and the peer's.
    results.OurNdcg = await Quality.OursAsync(dev);
    if (!string.IsNullOrEmpty(postgres))
    {
        var peer = await PostgresPeer.RunAsync(postgres, () => BenchTools.Corpus(size), dev);
        results.Peer = peer;
        Console.WriteLine($"PostgreSQL peer: match p50 {peer.Match.P50:0.0} ms p99 {peer.Match.P99:0.0} ms; nDCG@10 {peer.Ndcg:0.000}");
    }
    else Console.WriteLine("PostgreSQL peer skipped: pass --postgres or set MARKETPLACE_TEST_POSTGRES.");
}

var output = Path.Combine(BenchTools.RepoRoot(), "bench", "results.md");
var markdown = ResultsFile.Merge(File.Exists(output) ? await File.ReadAllTextAsync(output) : "", results);
Console.WriteLine();
Console.WriteLine(results.ToMarkdown(ResultsFile.Previous(File.Exists(output) ? await File.ReadAllTextAsync(output) : "", size)));
await File.WriteAllTextAsync(output, markdown);
Console.WriteLine($"Written to {output}");
Directory.Delete(work, recursive: true);
return 0;

static class BenchTools
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string? Option(string[] args, string name, string? fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>The benchmark's corpus, the same every time: listing i is an offer when i % 10 &lt; 7.</summary>
    public static IEnumerable<JsonObject> Corpus(int size)
    {
        var generator = ListingGenerator.Shipped(seed: 2026);
        for (var i = 0; i < size; i++) yield return generator.Next(i % 10 < 7 ? $"O-{i:D7}" : $"N-{i:D7}", need: i % 10 >= 7);
    }

    public static string ToApiLine(JsonObject listing)
    {
        var copy = JsonNode.Parse(listing.ToJsonString())!.AsObject();
        copy["externalRef"] = copy["ref"]!.GetValue<string>();
        copy.Remove("ref");
        return copy.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static async Task<List<string>> NeedIdsAsync(HttpClient client, int count)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = (await client.GetFromJsonAsync<SearchPage>($"/api/v1/needs?limit=100{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Json))!;
            ids.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        } while (cursor is not null && ids.Count < count);
        return ids;
    }

    /// <summary>Sequential calls after a warm-up (the JIT tiers up), cycling through the paths.</summary>
    public static async Task<Percentiles> LatencyAsync(HttpClient client, IReadOnlyList<string> paths, int warmup = 200, int measured = 500)
    {
        for (var i = 0; i < warmup; i++) (await client.GetAsync(paths[i % paths.Count])).EnsureSuccessStatusCode();
        var times = new List<double>(measured);
        for (var i = 0; i < measured; i++)
        {
            var watch = Stopwatch.StartNew();
            (await client.GetAsync(paths[(i * 7) % paths.Count])).EnsureSuccessStatusCode();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Percentiles.Of(times);
    }
}

public sealed record Percentiles(double P50, double P99)
{
    public static Percentiles Of(List<double> times)
    {
        times.Sort();
        double At(double q) => times[(int)Math.Min(times.Count - 1, Math.Ceiling(q * times.Count) - 1)];
        return new Percentiles(At(0.50), At(0.99));
    }
}
