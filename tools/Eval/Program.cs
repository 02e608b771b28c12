using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Eval;

// Loads each judged data set into a fresh embedded Marketplace (SQLite + Lucene, in-process), matches
// every need against the offers through the HTTP API and prints ranking quality; then grows the
// first set's instance to --scale listings with generated ones and prints match latency.
static class EvalCommand
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var folders = args.Where((a, i) => !a.StartsWith("--") && (i == 0 || args[i - 1] != "--scale")).ToList();
        // The copies in the repository, found from any working directory inside it.
        if (folders.Count == 0) folders = [RepositoryPath("data/dev"), RepositoryPath("data/check")];
        var scale = Option(args, "--scale", 10_000);
        var verbose = args.Contains("--verbose");
        foreach (var folder in folders.Where(f => !File.Exists(Path.Combine(f, "qrels.tsv"))))
        {
            Console.Error.WriteLine($"No data set at '{Path.GetFullPath(folder)}' (offers.jsonl, needs.jsonl, qrels.tsv).");
            return 2;
        }
        for (var i = 0; i < folders.Count; i++)
        {
            var result = await EvaluateAsync(folders[i], i == 0 ? scale : 0, verbose);
            if (result != 0) return result;
        }
        return 0;
    }

    /// <summary>A path inside the repository: from the working directory when it holds it, else from the folder above the build output that does.</summary>
    static string RepositoryPath(string relative)
    {
        if (Directory.Exists(relative)) return relative;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (Directory.Exists(Path.Combine(folder.FullName, relative))) return Path.Combine(folder.FullName, relative);
        return relative;
    }

    static async Task<int> EvaluateAsync(string folder, int scale, bool verbose)
    {
        var set = DataSet.Load(folder);
        using var app = new EvalApp();
        var client = app.Admin();
        var ids = new Dictionary<string, string>();
        var refs = new Dictionary<string, string>();
        foreach (var (collection, listings) in new[] { ("offers", set.Offers), ("needs", set.Needs) })
            foreach (var listing in listings)
            {
                var response = await client.PostAsJsonAsync($"/api/v1/{collection}", DataSet.ToRequest(listing));
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"{DataSet.Ref(listing)} refused: {await response.Content.ReadAsStringAsync()}");
                    return 1;
                }
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                ids[DataSet.Ref(listing)] = id;
                refs[id] = DataSet.Ref(listing);
            }

        var offerLanguages = set.Offers.ToDictionary(DataSet.Ref, DataSet.LanguagesOf);
        var rows = new List<(string Need, bool Cross, double Ndcg, double Rr, double Recall, double RecallAll, double P1)>();
        foreach (var need in set.Needs)
        {
            var needRef = DataSet.Ref(need);
            if (!set.Grades.TryGetValue(needRef, out var grades)) continue;
            var answer = await client.GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{ids[needRef]}/matches?limit=10", Json.Options);
            var ranked = answer!.Items.Select(i => refs[i.Listing.Id]).ToList();
            var best = grades.Values.Max();
            var needLanguages = DataSet.LanguagesOf(need);
            var cross = grades.Where(g => g.Value == best).All(g => !offerLanguages[g.Key].Overlaps(needLanguages));
            rows.Add((needRef, cross, Metrics.Ndcg(ranked, grades, 10), Metrics.ReciprocalRank(ranked, grades, 2),
                Metrics.Recall(ranked, grades, 10, 2), Metrics.Recall(ranked, grades, 10, 1), Metrics.PrecisionAt1(ranked, grades, 2)));
            if (verbose)
                Console.WriteLine($"{needRef}{(cross ? " ×" : "  ")} nDCG {rows[^1].Ndcg:0.000}  " +
                                  string.Join(" ", ranked.Select(r => $"{r}:{grades.GetValueOrDefault(r)}")));
        }

        void Line(string name, IReadOnlyCollection<(string Need, bool Cross, double Ndcg, double Rr, double Recall, double RecallAll, double P1)> r) =>
            Console.WriteLine($"| {name,-22} | {r.Count,5} | {r.Average(x => x.Ndcg),7:0.000} | {r.Average(x => x.Rr),5:0.000} | {r.Average(x => x.Recall),9:0.000} | {r.Average(x => x.RecallAll),13:0.000} | {r.Average(x => x.P1),5:0.000} |");
        Console.WriteLine();
        Console.WriteLine($"Quality on {Path.GetFullPath(folder)} ({set.Offers.Count} offers, {set.Needs.Count} needs; relevant = grade >= 2):");
        Console.WriteLine("| needs                  | count | nDCG@10 |   MRR | Recall@10 | Recall@10 g>=1 |   P@1 |");
        Console.WriteLine("|------------------------|------:|--------:|------:|----------:|---------------:|------:|");
        Line("all", rows);
        var crossRows = rows.Where(r => r.Cross).ToList();
        if (crossRows.Count > 0) Line("cross-language", crossRows);
        Line("same language", rows.Where(r => !r.Cross).ToList());

        if (scale > set.Offers.Count + set.Needs.Count)
        {
            var generated = await app.GrowAsync(scale - set.Offers.Count - set.Needs.Count);
            var needIds = set.Needs.Select(n => ids[DataSet.Ref(n)]).Concat(generated).ToList();
            var random = new Random(7);
            var latencies = new List<double>();
            // Warm up: let the JIT tier up the hot paths, as on a server that has been running a while.
            for (var i = 0; i < 300; i++) await client.GetAsync($"/api/v1/needs/{needIds[i % needIds.Count]}/matches?limit=10");
            for (var i = 0; i < 300; i++)
            {
                var id = needIds[random.Next(needIds.Count)];
                var watch = Stopwatch.StartNew();
                (await client.GetAsync($"/api/v1/needs/{id}/matches?limit=10")).EnsureSuccessStatusCode();
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
            latencies.Sort();
            var engine = await app.EngineLatenciesAsync(needIds.OrderBy(_ => random.Next()).Take(300).ToList());
            double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(q * latencies.Count) - 1)];
            Console.WriteLine();
            Console.WriteLine($"Match latency at {scale:N0} listings ({Environment.ProcessorCount} cores, 300 GET /needs/{{id}}/matches?limit=10 in-process):");
            Console.WriteLine($"p50 {P(0.50):0.0} ms · p95 {P(0.95):0.0} ms · p99 {P(0.99):0.0} ms · max {latencies[^1]:0.0} ms");
            Console.WriteLine($"of which the engine's match query: p50 {engine[engine.Count / 2]:0.0} ms · p99 {engine[(int)(engine.Count * 0.99)]:0.0} ms");
        }
        return 0;
    }

    static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}

static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
