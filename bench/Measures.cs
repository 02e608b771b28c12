using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marketplace.Api.Glossary;
using Marketplace.Api.Indexing;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Eval;
using Marketplace.Search;
using Marketplace.Search.Lucene;
using Npgsql;

namespace Marketplace.Bench;

sealed record WrkResult(double RequestsPerSecond, long Requests, long Errors, string Latency);

/// <summary>HTTP load with wrk (Debian's package) on loopback: GET /needs/{id}/matches over many needs.</summary>
static partial class Wrk
{
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex Rate();
    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex Count();
    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")] private static partial Regex Non2xx();
    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")] private static partial Regex Socket();
    [GeneratedRegex(@"50%\s+(\S+)[\s\S]*99%\s+(\S+)")] private static partial Regex Latency();

    public static readonly TimeSpan Warmup = TimeSpan.FromSeconds(5);

    static string Load(string url, string script, TimeSpan duration)
    {
        var info = new ProcessStartInfo("wrk", ["-t2", "-c16", $"-d{(int)duration.TotalSeconds}s", "--latency", "-s", script, url])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk is not installed (apt-get install wrk).");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    public static WrkResult Run(string url, IReadOnlyList<string> needIds, TimeSpan duration)
    {
        var script = Path.GetTempFileName() + ".lua";
        File.WriteAllText(script, $$"""
            local ids = { {{string.Join(", ", needIds.Select(id => $"\"{id}\""))}} }
            local i = 0
            request = function()
              i = i + 1
              return wrk.format("GET", "/api/v1/needs/" .. ids[(i % #ids) + 1] .. "/matches?limit=10")
            end
            """);
        // Two threads and 16 connections: both cores busy, a queue deep enough to show throughput.
        // A first, unmeasured run under the same load lets the JIT finish tiering up the hot paths.
        Load(url, script, Warmup);
        var output = Load(url, script, duration);
        File.Delete(script);
        var socket = Socket().Match(output);
        long errors = (Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value) : 0)
                      + (socket.Success ? Enumerable.Range(1, 4).Sum(g => long.Parse(socket.Groups[g].Value)) : 0);
        var latency = Latency().Match(output);
        return new WrkResult(double.Parse(Rate().Match(output).Groups[1].Value), long.Parse(Count().Match(output).Groups[1].Value), errors,
            latency.Success ? $"p50 {latency.Groups[1].Value}, p99 {latency.Groups[2].Value}" : "?");
    }
}

/// <summary>The floor an import is compared to: the same documents (concepts found beforehand) into a bare Lucene index.</summary>
static class Floor
{
    public static async Task<double> LuceneRateAsync(IEnumerable<JsonObject> corpus)
    {
        using var analysis = new TextAnalysis();
        var catalog = new ConceptCatalog(analysis);
        catalog.Load(GlossaryStore.Shipped(), [], revision: 0);
        var now = DateTimeOffset.UtcNow;
        // Documents are prepared a batch at a time and only the engine's time is counted.
        var dir = Directory.CreateTempSubdirectory("marketplace-bench-lucene").FullName;
        try
        {
            using var index = LuceneListingIndex.Open(dir);
            var engine = TimeSpan.Zero;
            var count = 0;
            foreach (var chunk in corpus.Select((listing, i) => (listing, i)).Chunk(1000))
            {
                var batch = chunk.Select(x =>
                {
                    var request = JsonSerializer.Deserialize<ListingRequest>(BenchTools.ToApiLine(x.listing), BenchTools.Json)!;
                    var row = new ListingRow
                    {
                        Id = $"id{x.i}", Kind = x.i % 10 < 7 ? "offer" : "need", OrganizationId = "platform", Status = "published",
                        Body = ListingContent.From(request).ToJson(), Version = 1, UpdatedAt = now, CreatedAt = now,
                    };
                    return ListingIndexer.Document(row, catalog);
                }).ToList();
                var watch = Stopwatch.StartNew();
                await index.UpsertAsync(batch);
                engine += watch.Elapsed;
                count += batch.Count;
            }
            return count / engine.TotalSeconds;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>nDCG@10 of Marketplace on the judged development set, through its own API process.</summary>
static class Quality
{
    public static async Task<double> OursAsync(string folder)
    {
        var set = DataSet.Load(folder);
        using var api = new ApiProcess(5191);
        var ids = new Dictionary<string, string>();
        var refs = new Dictionary<string, string>();
        foreach (var (collection, listings) in new[] { ("offers", set.Offers), ("needs", set.Needs) })
            foreach (var listing in listings)
            {
                var response = await api.Client.PostAsJsonAsync($"/api/v1/{collection}", DataSet.ToRequest(listing));
                var id = (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
                ids[DataSet.Ref(listing)] = id;
                refs[id] = DataSet.Ref(listing);
            }
        var scores = new List<double>();
        foreach (var need in set.Needs.Where(n => set.Grades.ContainsKey(DataSet.Ref(n))))
        {
            var answer = (await api.Client.GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{ids[DataSet.Ref(need)]}/matches?limit=10", BenchTools.Json))!;
            scores.Add(Metrics.Ndcg(answer.Items.Select(i => refs[i.Listing.Id]).ToList(), set.Grades[DataSet.Ref(need)], 10));
        }
        return scores.Average();
    }
}

sealed record PeerResult(Percentiles Match, double Ndcg, double LoadSeconds);

/// <summary>
/// The alternative a user would reach for: PostgreSQL full text. Russian through a tsvector with the
/// <c>russian</c> configuration (GIN), Chinese through pg_trgm similarity (GIN trigram index); a
/// need's words become an OR query, ranked by ts_rank_cd plus trigram similarity.
/// </summary>
static class PostgresPeer
{
    const string Schema = """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE TABLE docs (
            ref  TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            ru   TEXT NOT NULL,
            zh   TEXT NOT NULL,
            tsv  tsvector GENERATED ALWAYS AS (to_tsvector('russian', ru)) STORED);
        """;

    const string Indexes = """
        CREATE INDEX docs_tsv ON docs USING GIN (tsv);
        CREATE INDEX docs_zh ON docs USING GIN (zh gin_trgm_ops);
        ANALYZE docs;
        """;

    // Words of the need joined with | (any may match), ranked by cover density; Chinese by trigram similarity.
    const string Match = """
        WITH q AS (SELECT to_tsquery('russian', coalesce(nullif(array_to_string(tsvector_to_array(to_tsvector('russian', @ru)), ' | '), ''), 'zzzz')) AS query)
        SELECT ref FROM docs, q
        WHERE kind = 'offer' AND (tsv @@ q.query OR (@zh <> '' AND zh % @zh))
        ORDER BY ts_rank_cd(tsv, q.query) + CASE WHEN @zh <> '' THEN similarity(zh, @zh) ELSE 0 END DESC
        LIMIT 10
        """;

    static (string Ru, string Zh) Text(JsonObject listing)
    {
        string Part(string language) => string.Join("\n", new[] { listing["title"]?[language], listing["description"]?[language] }
            .Where(n => n is not null).Select(n => n!.GetValue<string>()));
        return (Part("ru"), Part("zh"));
    }

    public static async Task<PeerResult> RunAsync(string server, Func<IEnumerable<JsonObject>> corpus, string devFolder)
    {
        var database = "mp_bench_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ToString();
        try
        {
            var watch = Stopwatch.StartNew();
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await Load(connection, corpus().Select(l => (l["ref"]!.GetValue<string>(), l["ref"]!.GetValue<string>().StartsWith("O-") ? "offer" : "need", Text(l))));
            var loadSeconds = watch.Elapsed.TotalSeconds;
            await new NpgsqlCommand("SET pg_trgm.similarity_threshold = 0.1", connection).ExecuteNonQueryAsync();
            var needs = corpus().Where(l => l["ref"]!.GetValue<string>().StartsWith("N-")).Take(300).Select(Text).ToList();
            var times = new List<double>();
            // Fewer calls than for Marketplace: each takes the better part of a second at 100,000 listings.
            for (var i = 0; i < 180; i++)
            {
                var (ru, zh) = needs[(i * 7) % needs.Count];
                var t = Stopwatch.StartNew();
                await QueryAsync(connection, ru, zh);
                if (i >= 30) times.Add(t.Elapsed.TotalMilliseconds);
            }

            // Quality: the development set alone.
            await new NpgsqlCommand("TRUNCATE docs", connection).ExecuteNonQueryAsync();
            var set = DataSet.Load(devFolder);
            await Load(connection, set.Offers.Select(o => (DataSet.Ref(o), "offer", Text(o))));
            var scores = new List<double>();
            foreach (var need in set.Needs.Where(n => set.Grades.ContainsKey(DataSet.Ref(n))))
            {
                var (ru, zh) = Text(need);
                scores.Add(Metrics.Ndcg(await QueryAsync(connection, ru, zh), set.Grades[DataSet.Ref(need)], 10));
            }
            return new PeerResult(Percentiles.Of(times), scores.Average(), loadSeconds);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    static async Task Load(NpgsqlConnection connection, IEnumerable<(string Ref, string Kind, (string Ru, string Zh) Text)> rows)
    {
        await new NpgsqlCommand("DROP TABLE IF EXISTS docs", connection).ExecuteNonQueryAsync();
        await new NpgsqlCommand(Schema, connection).ExecuteNonQueryAsync();
        await using (var import = await connection.BeginBinaryImportAsync("COPY docs (ref, kind, ru, zh) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (reference, kind, (ru, zh)) in rows)
            {
                await import.StartRowAsync();
                await import.WriteAsync(reference);
                await import.WriteAsync(kind);
                await import.WriteAsync(ru);
                await import.WriteAsync(zh);
            }
            await import.CompleteAsync();
        }
        await new NpgsqlCommand(Indexes, connection).ExecuteNonQueryAsync();
    }

    static async Task<List<string>> QueryAsync(NpgsqlConnection connection, string ru, string zh)
    {
        await using var command = new NpgsqlCommand(Match, connection);
        command.Parameters.AddWithValue("ru", ru);
        command.Parameters.AddWithValue("zh", zh);
        var refs = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) refs.Add(reader.GetString(0));
        return refs;
    }
}

sealed class Results(int cores, int size, bool embeddedOnly)
{
    public int Size => size;
    public List<(int Size, Percentiles Match, Percentiles Single)> Latency { get; } = [];
    /// <summary>Per step, how long after the import answered the API was busy merging segments (latency is measured after).</summary>
    public List<(int Size, double Seconds)> Settled { get; } = [];
    public double ImportRate { get; set; }
    public double LuceneRate { get; set; }
    public double ResidentMb { get; set; }
    public double ResidentAfterLoadMb { get; set; }
    public double IndexMb { get; set; }
    public double DatabaseMb { get; set; }
    public Dictionary<string, double> Characters { get; set; } = [];
    public WrkResult? Http { get; set; }
    public int HttpNeeds { get; set; }
    public double OurNdcg { get; set; }
    public PeerResult? Peer { get; set; }

    /// <summary>The measures of this run: measure, result, target. Measure names stay stable, so a run finds its predecessor's figures.</summary>
    public List<(string Measure, string Result, string Target)> Rows()
    {
        var rows = new List<(string, string, string)>();
        var largest = Latency[^1];
        var large = size >= 1_000_000;
        rows.Add(($"bulk import, embedded stack (HTTP NDJSON, {size:N0} listings)", $"{ImportRate:N0} listings/s", ">= 2,000"));
        if (!embeddedOnly) rows.Add(("raw Lucene indexing of the same documents (floor)", $"{LuceneRate:N0} docs/s", ""));
        if (Settled.Count > 0)
            rows.Add(("index settled after each import step (segment merges), before latency is measured",
                string.Join("; ", Settled.Select(x => $"{x.Size:N0}: {x.Seconds:0.0} s")), ""));
        foreach (var (n, match, _) in Latency)
            rows.Add(($"match latency at {n:N0} listings (HTTP, limit 10)", $"p50 {match.P50:0.0} ms, p99 {match.P99:0.0} ms",
                n == 100_000 ? "p50 <= 5, p99 <= 20" : ""));
        foreach (var (n, match, single) in Latency)
            rows.Add(($"single-term BM25 search at {n:N0} (HTTP, with facets)", $"p50 {single.P50:0.0} ms, p99 {single.P99:0.0} ms; match/search p50 ratio {match.P50 / single.P50:0.0}", ""));
        if (Http is not null)
            rows.Add(($"HTTP throughput, GET /needs/{{id}}/matches (wrk -t2 -c16, 15 s after a 5 s warm-up, {HttpNeeds:N0} needs)",
                $"{Http.RequestsPerSecond:N0} matches/s, {Http.Errors} errors ({Http.Latency})", ">= 500, 0 errors"));
        rows.Add(($"resident memory at {size:N0} (after import / after load)", $"{ResidentMb:N0} MB / {ResidentAfterLoadMb:N0} MB", large ? "<= 1,536 MB" : "<= 600 MB"));
        rows.Add(($"index size at {size:N0}", $"{IndexMb:N0} MB", ""));
        rows.Add(($"database size at {size:N0} (SQLite)", $"{DatabaseMb:N0} MB", ""));
        rows.Add(("description length, mean characters (zh / ru)", $"{Characters.GetValueOrDefault("zh"):N0} / {Characters.GetValueOrDefault("ru"):N0}", "150-600 each"));
        if (!embeddedOnly)
        {
            rows.Add(("nDCG@10 on shared/data/dev, Marketplace", $"{OurNdcg:0.000}", "higher than the peer"));
            if (Peer is not null)
            {
                rows.Add(($"PostgreSQL peer (tsvector russian + pg_trgm), match at {size:N0}",
                    $"p50 {Peer.Match.P50:0.0} ms, p99 {Peer.Match.P99:0.0} ms; Marketplace is {Peer.Match.P50 / largest.Match.P50:0.0}x faster at p50", ">= 3x"));
                rows.Add(("nDCG@10 on shared/data/dev, PostgreSQL peer", $"{Peer.Ndcg:0.000}", ""));
            }
            else rows.Add(("PostgreSQL peer", "skipped (no --postgres)", ""));
        }
        return rows;
    }

    public string Heading => $"{size:N0} listings";

    public string ToMarkdown((string Date, Dictionary<string, string> Results)? previous)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"## {Heading}");
        sb.AppendLine();
        sb.AppendLine($"`dotnet run -c Release --project bench -- all --size {size}{(embeddedOnly ? " --embedded-only" : "")}` on {DateTime.UtcNow:yyyy-MM-dd}, {cores} cores, " +
                      $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; generated bilingual corpus of {size:N0} listings " +
                      "(70 % offers; descriptions of 150-600 characters per language written from the lexicon).");
        sb.AppendLine();
        if (previous is { } p)
        {
            sb.AppendLine($"| measure | result | previous ({p.Date}) | target |");
            sb.AppendLine("|---|---:|---:|---:|");
            foreach (var (measure, result, target) in Rows())
                sb.AppendLine($"| {measure} | {result} | {p.Results.GetValueOrDefault(measure, "")} | {target} |");
        }
        else
        {
            sb.AppendLine("| measure | result | target |");
            sb.AppendLine("|---|---:|---:|");
            foreach (var (measure, result, target) in Rows()) sb.AppendLine($"| {measure} | {result} | {target} |");
        }
        return sb.ToString();
    }
}

/// <summary>
/// bench/results.md: one section per corpus size, each run replacing its own size's section and
/// keeping that section's previous results in a column beside the new ones.
/// </summary>
static partial class ResultsFile
{
    [GeneratedRegex(@"on (\d{4}-\d{2}-\d{2})")] private static partial Regex Date();
    [GeneratedRegex(@"corpus of ([\d,]+) listings")] private static partial Regex Corpus();

    /// <summary>The sections of the file by size: the heading line's size (or, in the older one-table file, the corpus it names) to its text.</summary>
    static List<(int Size, string Text)> Sections(string file)
    {
        var sections = new List<(int, string)>();
        var parts = Regex.Split(file, @"^(?=## )", RegexOptions.Multiline);
        foreach (var part in parts)
        {
            var corpus = Corpus().Match(part);
            if (!corpus.Success || !part.Contains("| measure |")) continue;
            sections.Add((int.Parse(corpus.Groups[1].Value.Replace(",", "")), part.StartsWith("## ") ? part : "## " + part[part.IndexOf('`')..]));
        }
        return sections;
    }

    /// <summary>The date and results (measure to result) of the file's section for this size.</summary>
    public static (string Date, Dictionary<string, string> Results)? Previous(string file, int size)
    {
        var section = Sections(file).Where(s => s.Size == size).Select(s => s.Text).FirstOrDefault();
        if (section is null) return null;
        return (Date().Match(section) is { Success: true } d ? d.Groups[1].Value : "?", ResultsOf(section));
    }

    public static string Merge(string file, Results run)
    {
        var others = Sections(file).Where(s => s.Size != run.Size).ToList();
        var sections = others.Select(s => (s.Size, Text: s.Text.TrimEnd() + "\n"))
            .Append((run.Size, Text: run.ToMarkdown(Previous(file, run.Size))))
            .OrderBy(s => s.Size);
        return "# Benchmark results\n\n" + string.Join("\n", sections.Select(s => s.Text)) + AlertSections(file);
    }

    /// <summary>The alerts run's sections (<c>## Alerts …</c>), kept as they are by a run of <c>all</c>.</summary>
    public static string AlertSections(string file) => string.Concat(Regex.Split(file, @"^(?=## )", RegexOptions.Multiline)
        .Where(p => p.StartsWith("## Alerts", StringComparison.Ordinal)).Select(p => "\n" + p.TrimEnd() + "\n"));

    /// <summary>The file with the alerts section of this size replaced (or added), the replaced section's results in a column beside the new ones.</summary>
    public static string MergeAlerts(string file, int size, string section)
    {
        var heading = $"## Alerts at {size:N0} listings";
        var parts = Regex.Split(file, @"^(?=## )", RegexOptions.Multiline).ToList();
        if (parts.FirstOrDefault(p => p.StartsWith(heading, StringComparison.Ordinal)) is { } old)
            section = WithPrevious(section, (Date().Match(old) is { Success: true } d ? d.Groups[1].Value : "?", ResultsOf(old)));
        return string.Concat(parts.Where(p => !p.StartsWith(heading, StringComparison.Ordinal))).TrimEnd() + "\n\n" + section.TrimEnd() + "\n";
    }

    /// <summary>A section's results: measure to result.</summary>
    static Dictionary<string, string> ResultsOf(string section)
    {
        var results = new Dictionary<string, string>();
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| ") && !l.StartsWith("| measure")))
        {
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            if (cells.Length >= 3) results.TryAdd(cells[0], cells[1]);
        }
        return results;
    }

    /// <summary>A section's table (measure, result, target) with the previous results as a third column.</summary>
    static string WithPrevious(string section, (string Date, Dictionary<string, string> Results) previous) =>
        string.Join('\n', section.Split('\n').Select(line =>
        {
            if (!line.StartsWith('|')) return line;
            if (line.StartsWith("|---", StringComparison.Ordinal)) return line.TrimEnd() + "---:|";
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToList();
            if (cells.Count != 3) return line;
            var added = cells[0] == "measure" ? $"previous ({previous.Date})" : previous.Results.GetValueOrDefault(cells[0], "");
            cells.Insert(2, added);
            return "| " + string.Join(" | ", cells) + " |";
        }));
}
