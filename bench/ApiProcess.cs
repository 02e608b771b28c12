using System.Diagnostics;
using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Bench;

/// <summary>The real API as its own process on loopback, on a fresh data folder: what users run.</summary>
sealed class ApiProcess : IDisposable
{
    public const string Key = "mk_bench-admin-key-000000000000000";
    readonly Process _process;
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "marketplace-bench", Guid.NewGuid().ToString("N"));
    public string Url { get; }
    public HttpClient Client { get; }

    public ApiProcess(int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        Url = $"http://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Marketplace.Api.dll"), "--urls", Url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["Marketplace__DataDir"] = DataDir;
        info.Environment["Marketplace__Auth__BootstrapAdminKey"] = Key;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The benchmark measures what the engine serves: wrk loads it from one address, far above the default anonymous limit.
        info.Environment["Marketplace__RateLimits__PerKeyPerSecond"] = "0";
        info.Environment["Marketplace__RateLimits__AnonymousPerSecond"] = "0";
        // The garbage collector and the JIT's tiering as deployed (Dockerfile, launchSettings.json): see README, "Performance".
        info.Environment["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "0x4000000";
        info.Environment["DOTNET_TC_CallCountingDelayMs"] = Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") ?? "0";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name.Replace(":", "__")] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("api: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(30) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        for (var i = 0; i < 120; i++)
        {
            try
            {
                if (Client.GetAsync("/health/ready").Result.IsSuccessStatusCode) return;
            }
            catch (AggregateException) { }
            Thread.Sleep(500);
        }
        throw new InvalidOperationException("The API did not become ready.");
    }

    public long ResidentBytes()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>
    /// Waits until the API has finished the work an import leaves behind (Lucene merging the segments
    /// it wrote): two half-seconds in a row under 5 % of a core, at most <paramref name="limit"/>.
    /// Latency is measured on the settled index, not against a merge running beside it.
    /// </summary>
    public async Task<TimeSpan> SettleAsync(TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var quiet = 0;
        var before = CpuTicks();
        while (watch.Elapsed < limit && quiet < 2)
        {
            await Task.Delay(500);
            var now = CpuTicks();
            quiet = now - before < 0.05 * 0.5 * 100 ? quiet + 1 : 0; // clock ticks are 1/100 s
            before = now;
        }
        return watch.Elapsed;
    }

    long CpuTicks()
    {
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[11]) + long.Parse(fields[12]); // utime and stime, after the state field
    }

    /// <summary>The SQLite database with its write-ahead log.</summary>
    public long DatabaseBytes() =>
        new DirectoryInfo(DataDir).EnumerateFiles("marketplace.db*").Sum(f => f.Length);

    public long IndexBytes() =>
        new DirectoryInfo(Path.Combine(DataDir, "index")).EnumerateFiles().Sum(f => f.Length);

    public async Task<BulkResponse> BulkAsync(string collection, string file)
    {
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new("application/x-ndjson");
        var response = await Client.PostAsync($"/api/v1/{collection}/bulk", content);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<BulkResponse>(BenchTools.Json))!;
    }

    public void Dispose()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(10_000); } catch (InvalidOperationException) { }
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
