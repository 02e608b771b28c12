using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts;

namespace Marketplace.Tests.Processes;

/// <summary>
/// The API as its own process on loopback, the way users run it: started on a data folder (and
/// optionally a PostgreSQL database) that outlives it, killed with SIGKILL, started again.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    public const string Key = TestApp.AdminKey;
    readonly Process _process;
    public string Url { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    ApiProcess(string dataDir, string? postgres, IReadOnlyDictionary<string, string>? settings)
    {
        Url = $"http://127.0.0.1:{FreePort()}";
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Marketplace.Api.dll"), "--urls", Url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["Marketplace__DataDir"] = dataDir;
        info.Environment["Marketplace__Auth__BootstrapAdminKey"] = Key;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // The crash tests write as fast as eight clients can from one address and key.
        info.Environment["Marketplace__RateLimits__PerKeyPerSecond"] = "0";
        info.Environment["Marketplace__RateLimits__AnonymousPerSecond"] = "0";
        if (postgres is not null)
        {
            info.Environment["Marketplace__Database__Provider"] = "postgres";
            info.Environment["ConnectionStrings__Marketplace"] = postgres;
        }
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name.Replace(":", "__")] = value;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine("api: " + e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromMinutes(5) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    /// <summary>Starts the API and waits until it answers <c>/health/ready</c>.</summary>
    public static async Task<ApiProcess> StartAsync(string dataDir, string? postgres = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var api = new ApiProcess(dataDir, postgres, settings);
        for (var i = 0; i < 240; i++)
        {
            if (api._process.HasExited) throw new InvalidOperationException($"The API exited at start with code {api._process.ExitCode}.");
            try
            {
                if ((await api.Client.GetAsync("/health/ready")).IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        api.Dispose();
        throw new InvalidOperationException("The API did not become ready within a minute.");
    }

    static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>SIGKILL: no shutdown, no flush, whatever was in flight is cut.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>The most memory the process has held (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => ProcStatus("VmHWM:");

    public long ResidentBytes() => ProcStatus("VmRSS:");

    long ProcStatus(string field)
    {
        var line = File.ReadAllLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public async Task<IndexStatusResponse> IndexStatusAsync() =>
        (await Client.GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options))!;

    /// <summary>Waits until nothing waits for the engine.</summary>
    public async Task<IndexStatusResponse> SettledAsync(double seconds = 60)
    {
        IndexStatusResponse status = await IndexStatusAsync();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (status.Backlog.Pending > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            status = await IndexStatusAsync();
        }
        return status;
    }

    public void Dispose()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited) Kill();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
