using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Marketplace.Api.Hosting;
using Marketplace.Api.Storage;
using Marketplace.Contracts;

namespace Marketplace.Tests.Processes;

/// <summary>
/// kill -9 of the API in the middle of writes: after a restart every acknowledged write is there
/// once, a resumed import completes, the index holds what the database holds and nothing waits.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
[NonParallelizable]
public sealed class CrashTests(string provider)
{
    string _work = "";
    string? _postgres;
    string? _database;

    [SetUp]
    public void Prepare()
    {
        _work = Path.Combine(Path.GetTempPath(), "marketplace-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
        if (provider == "postgres") (_postgres, _database) = Postgres.CreateDatabase();
    }

    [TearDown]
    public void Clean()
    {
        _db = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_database is not null) Postgres.DropDatabase(_database);
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    string DataDir => Path.Combine(_work, "data");

    Task<ApiProcess> StartApiAsync() => ApiProcess.StartAsync(DataDir, _postgres);

    Db? _db;

    Db Database() => _db ??= _postgres is null
        ? new Db(new MarketplaceOptions { DataDir = DataDir }, null)
        : new Db(new MarketplaceOptions { Database = { Provider = "postgres" } }, _postgres);

    async Task<(long Rows, long DistinctRefs)> CountAsync(string kind)
    {
        await using var connection = await Database().OpenAsync();
        var counts = await connection.QuerySingleAsync<(long, long)>(
            "SELECT COUNT(*), COUNT(DISTINCT external_ref) FROM listings WHERE kind = @kind", new { kind });
        return counts;
    }

    /// <summary>The command-line tool an agency runs (<c>marketplace generate|import</c>), as its own process.</summary>
    static Process Cli(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "marketplace.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Progress.WriteLine("cli: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task<int> RunAsync(Process process, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    [Test]
    public async Task KillDuringABulkImportLosesAndDuplicatesNothingAndTheImportResumes()
    {
        const int lines = 20_000;
        var corpus = Path.Combine(_work, "corpus");
        Assert.That(await RunAsync(Cli("generate", $"{lines}", "--out", corpus, "--seed", "9", "--needs-share", "0"), TimeSpan.FromMinutes(2)), Is.Zero);
        var file = Path.Combine(corpus, "offers.jsonl");

        long storedAtKill;
        using (var api = await StartApiAsync())
        {
            var import = Cli("import", file, "--kind", "offers", "--api", api.Url, "--key", ApiProcess.Key, "--batch", "2000");
            // Kill once some batches are committed and more are on their way.
            var watch = Stopwatch.StartNew();
            while ((await CountAsync("offer")).Rows < 5_000 && !import.HasExited && watch.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(50);
            api.Kill();
            import.Kill(entireProcessTree: true);
            storedAtKill = (await CountAsync("offer")).Rows;
            Assert.That(storedAtKill, Is.InRange(1L, lines - 1), "the kill landed in the middle of the import");
        }
        var checkpoint = File.ReadAllText(file + ".offers.imported").Trim();
        TestContext.Progress.WriteLine($"killed with {storedAtKill} listings stored; the importer's checkpoint says line {checkpoint}");

        using (var api = await StartApiAsync())
        {
            // The same command again: it resumes after the last batch the API confirmed.
            Assert.That(await RunAsync(Cli("import", file, "--kind", "offers", "--api", api.Url, "--key", ApiProcess.Key, "--batch", "2000"),
                TimeSpan.FromMinutes(5)), Is.Zero, "the resumed import completes");
            var status = await api.SettledAsync();
            var (rows, refs) = await CountAsync("offer");
            TestContext.Progress.WriteLine($"after the restart: {rows} rows, {refs} externalRefs, {status.IndexedDocuments} indexed, backlog {status.Backlog.Pending}");
            Assert.That((rows, refs), Is.EqualTo(((long)lines, (long)lines)), "every line stored once");
            Assert.That((status.IndexedDocuments, status.DatabaseListings, status.Backlog.Pending, status.Backlog.Parked),
                Is.EqualTo(((long?)lines, (long)lines, 0L, 0L)), "index = database, nothing waits");
            var searched = await api.Client.GetFromJsonAsync<SearchPage>("/api/v1/offers?limit=1", Json.Options);
            Assert.That(searched!.Total, Is.EqualTo(lines));
        }
    }

    [Test]
    public async Task KillDuringParallelSingleWritesLosesNoAcknowledgedWrite()
    {
        const int writers = 8;
        // externalRef → (id, version, trl) of the last write the API acknowledged
        var acknowledged = new ConcurrentDictionary<string, (string Id, long Version, int Trl)>();
        var attempted = new ConcurrentDictionary<string, int>();
        using (var api = await StartApiAsync())
        {
            using var stop = new CancellationTokenSource();
            var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    // Every third write updates a listing this writer created before: creates and updates both race the kill.
                    var externalRef = i % 3 == 2 ? $"w{w}-{i - 1}" : $"w{w}-{i}";
                    var trl = 1 + i % 9;
                    attempted[externalRef] = trl;
                    var body = Samples.RussianPump(externalRef);
                    body["trl"] = trl;
                    try
                    {
                        var response = await api.Client.PostAsJsonAsync("/api/v1/offers", body);
                        if (!response.IsSuccessStatusCode) continue;
                        var listing = (await response.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
                        acknowledged[externalRef] = (listing.Id, listing.Version, trl);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the API is gone
                    }
                }
            })).ToList();
            while (acknowledged.Count < 300) await Task.Delay(20);
            api.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(tasks);
        }
        TestContext.Progress.WriteLine($"killed after {acknowledged.Count} acknowledged listings, {attempted.Count} attempted");

        using (var api = await StartApiAsync())
        {
            foreach (var (externalRef, (id, version, trl)) in acknowledged)
            {
                var response = await api.Client.GetAsync($"/api/v1/offers/{id}");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"acknowledged {externalRef} survives the kill");
                var stored = (await response.Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
                Assert.That(stored.Version, Is.GreaterThanOrEqualTo(version), $"{externalRef}: no acknowledged update is lost");
                if (stored.Version == version) Assert.That(stored.Trl, Is.EqualTo(trl));
            }
            // The clients resume: what they were not told is sent again, and upserts by externalRef.
            foreach (var (externalRef, trl) in attempted)
            {
                var body = Samples.RussianPump(externalRef);
                body["trl"] = trl;
                (await api.Client.PostAsJsonAsync("/api/v1/offers", body)).EnsureSuccessStatusCode();
            }
            var status = await api.SettledAsync();
            var (rows, refs) = await CountAsync("offer");
            Assert.That((rows, refs), Is.EqualTo(((long)attempted.Count, (long)attempted.Count)), "every listing once");
            Assert.That((status.IndexedDocuments, status.DatabaseListings, status.Backlog.Pending),
                Is.EqualTo(((long?)rows, rows, 0L)), "index = database, nothing waits");
        }
    }

    [Test]
    public async Task KillBetweenAnEventAndItsDeliveryDeliversItAfterTheRestart()
    {
        await using var receiver = await Alerts.WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string> { ["Marketplace:Webhooks:AllowPrivateTargets"] = "true" };
        string secret, eventId;
        // The dispatcher's first look is an hour away: the event is written and acknowledged, its delivery waits.
        using (var api = await ApiProcess.StartAsync(DataDir, _postgres, new Dictionary<string, string>(settings) { ["Marketplace:Webhooks:PollSeconds"] = "3600" }))
        {
            async Task<string> Organization(string zh, string ru, string country)
            {
                var created = await api.Client.PostAsJsonAsync("/api/v1/organizations", new { name = new { zh, ru }, country, type = "enterprise" });
                return (await created.Content.ReadFromJsonAsync<OrganizationResponse>(Json.Options))!.Id;
            }
            var owner = await Organization("乌拉尔水泵厂", "Уральский насосный завод", "RU");
            var buyer = await Organization("淄博泵业", "Цзыбо Насос", "CN");
            var webhook = (await (await api.Client.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, organizationId = owner }))
                .Content.ReadFromJsonAsync<WebhookResponse>(Json.Options))!;
            secret = webhook.Secret!;
            var body = Samples.RussianPump("ru-pump");
            body["organizationId"] = owner;
            var offer = (await (await api.Client.PostAsJsonAsync("/api/v1/offers", body)).Content.ReadFromJsonAsync<ListingResponse>(Json.Options))!;
            var interest = await api.Client.PostAsJsonAsync("/api/v1/interests",
                new { listingId = offer.Id, organizationId = buyer, message = new { zh = "我们希望引进贵方的潜水泵技术。" } });
            Assert.That(interest.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            var feed = (await (await api.Client.GetAsync($"/api/v1/events?organizationId={owner}")).Content.ReadFromJsonAsync<EventFeed>(Json.Options))!;
            eventId = feed.Items.Single().Id;
            var deliveries = (await (await api.Client.GetAsync($"/api/v1/webhooks/{webhook.Id}/deliveries"))
                .Content.ReadFromJsonAsync<Page<DeliveryResponse>>(Json.Options))!;
            Assert.That(deliveries.Items.Single().Status, Is.EqualTo(DeliveryStatus.Pending));
            api.Kill();
        }
        Assert.That(receiver.Requests, Is.Empty, "nothing was sent before the kill");
        using (await ApiProcess.StartAsync(DataDir, _postgres, new Dictionary<string, string>(settings) { ["Marketplace:Webhooks:PollSeconds"] = "0.1" }))
        {
            Assert.That(await TestApp.WaitUntil(() => Task.FromResult(!receiver.Requests.IsEmpty), 30), Is.True, "delivered after the restart");
            var received = receiver.Requests.Single();
            Assert.That((received.Id, Alerts.WebhookReceiver.Verify(secret, received)), Is.EqualTo((eventId, true)));
        }
    }
}
