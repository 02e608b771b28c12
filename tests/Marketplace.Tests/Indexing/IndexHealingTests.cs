using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Marketplace.Api.Indexing;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Search;
using Marketplace.Tests.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Marketplace.Tests.Indexing;

/// <summary>
/// Nothing one bad listing or one failed rebuild can break: a row the engine cannot take is retried
/// alone and parked, everything else is indexed, and the engine keeps working.
/// </summary>
[TestFixture("sqlite")]
[TestFixture("postgres")]
public sealed class IndexHealingTests(string provider)
{
    /// <summary>Two refusals park a listing, so the tests need not wait out five.</summary>
    static readonly Dictionary<string, string> QuickParking = new() { ["Marketplace:Indexing:MaxRefusals"] = "2" };

    /// <summary>A listing row as a crashed write (or an old release, or a hand edit) left it: committed, with its outbox row due now.</summary>
    static async Task<string> InsertRawAsync(TestApp app, string body, string kind = "offer", string? id = null)
    {
        id ??= (kind == "offer" ? "of_raw" : "nd_raw") + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow;
        await using var connection = await app.Db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO listings (id, kind, organization_id, external_ref, status, field, trl, country, body, version, index_status, created_at, updated_at)
            VALUES (@id, @kind, 'platform', NULL, 'published', 'transport-machinery', 6, 'RU', @body, 1, 'pending', @now, @now)
            """, new { id, kind, body, now }, transaction);
        await IndexOutbox.EnqueueAsync(connection, transaction, [new ListingRow { Id = id, Version = 1 }], now, CancellationToken.None);
        await transaction.CommitAsync();
        return id;
    }

    const string Unreadable = "{\"title\": {\"ru\": \"Насос";

    static string Body(Dictionary<string, object?> listing) => ListingContent.From(
        System.Text.Json.JsonSerializer.Deserialize<ListingRequest>(System.Text.Json.JsonSerializer.Serialize(listing), Json.Options)!).ToJson();

    static Task<IndexStatusResponse?> Status(TestApp app) => app.Admin().GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options);

    [Test]
    public async Task OneRowThatCannotBeIndexedIsParkedWhileTheRowsBesideItAreIndexed()
    {
        using var app = new TestApp(provider, settings: QuickParking);
        var client = app.Admin();
        _ = await client.GetAsync("/health/live");
        var good = new List<string>();
        for (var i = 0; i < 5; i++) good.Add(await InsertRawAsync(app, Body(Samples.RussianPump($"raw-{i}"))));
        var bad = await InsertRawAsync(app, Unreadable);

        Assert.That(await TestApp.WaitUntil(async () => (await Status(app))!.Backlog.Parked == 1), "the bad row is parked after its refusals");
        var status = (await Status(app))!;
        Assert.That(status.Backlog.Pending, Is.Zero, "nothing else waits");
        Assert.That(status.Parked.Single().ListingId, Is.EqualTo(bad));
        Assert.That(status.Parked.Single().LastError, Does.Contain("JsonException"));
        var found = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?limit=100", Json.Options);
        Assert.That(found!.Items.Select(i => i.Id), Is.EquivalentTo(good));

        var ready = JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(ready["checks"]!["indexing"]!["description"]!.GetValue<string>(), Does.Contain("parked"));

        // The operator mends the row and retries it.
        await using (var connection = await app.Db.OpenAsync())
            await connection.ExecuteAsync("UPDATE listings SET body = @body WHERE id = @bad", new { body = Body(Samples.RussianPump("mended")), bad });
        Assert.That((await client.PostAsJsonAsync("/api/v1/admin/index-status/retry", new { listingIds = new[] { "of_\u0000" } })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest), "a listing id is checked like any other");
        Assert.That((await client.PostAsJsonAsync("/api/v1/admin/index-status/retry", new { listingIds = Array.Empty<string>() })).StatusCode,
            Is.EqualTo(HttpStatusCode.BadRequest), "an empty list is not \"all\": that is no body");
        var retried = await client.PostAsJsonAsync("/api/v1/admin/index-status/retry", new { listingIds = new[] { bad } });
        Assert.That((await retried.Content.ReadFromJsonAsync<RetryParkedResponse>(Json.Options))!.Requeued, Is.EqualTo(1));
        Assert.That(await TestApp.WaitUntil(async () => (await Status(app)) is { Backlog: { Pending: 0, Parked: 0 } }));
        var all = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?limit=100", Json.Options);
        Assert.That(all!.Items.Select(i => i.Id), Is.EquivalentTo(good.Append(bad)));
        Assert.That(JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!["status"]!.GetValue<string>(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task AStartThatMustRebuildSucceedsAndParksTheRowItCannotIndex()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        var (connectionString, database) = provider == "postgres" ? Postgres.CreateDatabase() : (null, null);
        try
        {
            string bad;
            var good = new List<string>();
            using (var first = new TestApp(provider, dataDir: dataDir, connectionString: connectionString, settings: QuickParking))
            {
                for (var i = 0; i < 4; i++) good.Add(await MatchFixtures.Post(first.Admin(), "offers", Samples.RussianPump($"ok-{i}")));
                bad = await InsertRawAsync(first, Unreadable);
                good.Add(await InsertRawAsync(first, Body(Samples.RussianPump("raw-ok"))));
            }
            Directory.Delete(Path.Combine(dataDir, "index"), recursive: true); // the restart must rebuild

            using var second = new TestApp(provider, dataDir: dataDir, connectionString: connectionString, settings: QuickParking);
            var found = await second.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?limit=100", Json.Options);
            Assert.That(found!.Items.Select(i => i.Id), Is.EquivalentTo(good), "start-up succeeded and indexed every other listing");
            Assert.That(await TestApp.WaitUntil(async () => (await Status(second))!.Parked.Select(p => p.ListingId).SequenceEqual([bad])));
            var status = (await Status(second))!;
            Assert.That((status.IndexedDocuments, status.DatabaseListings, status.Backlog.Pending), Is.EqualTo((5L, 6L, 0L)));

            // A reindex on demand answers too, and sets the row aside again.
            var reindex = await second.Admin().PostAsync("/api/v1/admin/reindex", null);
            Assert.That(reindex.StatusCode, Is.EqualTo(HttpStatusCode.OK), await reindex.Content.ReadAsStringAsync());
            var answer = (await reindex.Content.ReadFromJsonAsync<ReindexResponse>(Json.Options))!;
            Assert.That((answer.Indexed, answer.SetAside), Is.EqualTo((5L, 1L)));
            Assert.That((await Status(second))!.Parked.Select(p => p.ListingId), Is.EqualTo(new[] { bad }), "a parked listing stays parked through a rebuild");
            second.Dispose();

            // The next start finds the index a copy of the database: the parked listing is no reason to rebuild.
            using var third = new TestApp(provider, dataDir: dataDir, connectionString: connectionString, settings: QuickParking);
            var restarted = (await Status(third))!;
            Assert.That((restarted.Rebuild.StartedAt, restarted.IndexedDocuments, restarted.Backlog.Parked), Is.EqualTo(((DateTimeOffset?)null, (long?)5L, 1L)));
        }
        finally
        {
            if (database is not null) Postgres.DropDatabase(database);
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }

    [Test]
    public async Task AListingStoredWithoutATitleIsIndexedMatchedAndExplained()
    {
        using var app = new TestApp(provider);
        var legacy = Samples.RussianPump("legacy");
        legacy.Remove("title");
        var body = System.Text.Json.JsonSerializer.Serialize(legacy, Json.Options); // as the old release stored it
        var offer = await InsertRawAsync(app, body);
        var need = await MatchFixtures.Post(app.Admin(), "needs", Samples.ChinesePump("need"));
        Assert.That(await TestApp.WaitUntil(async () => (await Status(app))!.Backlog.Pending == 0));

        var read = await app.Anonymous().GetAsync($"/api/v1/offers/{offer}");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var matches = await app.Anonymous().GetAsync($"/api/v1/needs/{need}/matches?explain=true");
        Assert.That(matches.StatusCode, Is.EqualTo(HttpStatusCode.OK), await matches.Content.ReadAsStringAsync());
        var items = (await matches.Content.ReadFromJsonAsync<MatchResponse>(Json.Options))!.Items;
        Assert.That(items.Select(i => i.Listing.Id), Does.Contain(offer));
        Assert.That((await app.Admin().PostAsync("/api/v1/admin/reindex", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task ReadyIsDegradedWhileTheEngineRefusesWritesAndHealthyOnceItTakesThemAgain()
    {
        var failing = new FailingIndex();
        using var app = failing.App(provider, new Dictionary<string, string> { ["Marketplace:Indexing:MaxBacklogAgeSeconds"] = "1" });
        _ = await app.Anonymous().GetAsync("/health/live");
        failing.Down = true;
        Assert.That((await app.Admin().PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("while-down"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var ready = JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.That(ready["status"]!.GetValue<string>(), Is.EqualTo("Degraded"));
        Assert.That(ready["checks"]!["indexing"]!["description"]!.GetValue<string>(), Does.Contain("refused writes").And.Not.Contain("injected"),
            "the public answer names the trouble, not the engine's words");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var late = JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!;
        Assert.That(late["checks"]!["indexing"]!["description"]!.GetValue<string>(), Does.Contain("1 write(s) wait for the search engine"),
            "a write older than the documented bound is reported too");

        failing.Down = false;
        Assert.That(await TestApp.WaitUntil(async () =>
            JsonNode.Parse(await app.Anonymous().GetStringAsync("/health/ready"))!["status"]!.GetValue<string>() == "Healthy"));
    }

    [Test]
    public async Task AReindexWhoseClientStopsWaitingCompletesAndLeavesAWorkingEngine()
    {
        var slow = new SlowRebuild();
        using var app = new TestApp(provider, services: s =>
        {
            s.RemoveAll<IListingIndex>();
            s.AddSingleton<IListingIndex>(sp => slow.Wrap(sp.GetRequiredService<Api.Hosting.SearchEngineOpener>().Index));
        });
        var admin = app.Admin();
        for (var i = 0; i < 3; i++) await MatchFixtures.Post(admin, "offers", Samples.RussianPump($"r-{i}"));

        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            await Assert.CatchAsync<OperationCanceledException>(() => admin.PostAsync("/api/v1/admin/reindex", null, impatient.Token));

        Assert.That(await TestApp.WaitUntil(async () => (await Status(app))!.Rebuild is { Running: false, FinishedAt: not null }),
            "the rebuild went on without its client");
        var status = (await Status(app))!;
        Assert.That((status.Rebuild.Indexed, status.Rebuild.Error), Is.EqualTo(((long?)3, (string?)null)));
        var after = await MatchFixtures.Post(admin, "offers", Samples.RussianPump("after"));
        var found = await app.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насос"), Json.Options);
        Assert.That(found!.Items.Select(i => i.Id), Does.Contain(after));
        Assert.That((await admin.PostAsync("/api/v1/admin/reindex", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task AGlossaryChangeMadeWhileTheEngineIsAwayReachesItsListingsOnceItIsBack()
    {
        var failing = new FailingIndex();
        using var app = failing.App(provider);
        var offer = await MatchFixtures.Post(app.Admin(), "offers", MatchFixtures.Listing(null, null, "Рафинирование касторового масла",
            "Установка рафинирования касторового масла.", "applied-chemistry", 7, ["licensing"], "RU"));
        var need = await MatchFixtures.Post(app.Admin(), "needs", MatchFixtures.Listing("蓖麻油精炼", "需要蓖麻油精炼工艺。", null, null,
            "applied-chemistry", 6, ["licensing"], "CN"));

        failing.Down = true;
        var added = await app.Admin().PostAsJsonAsync("/api/v1/glossary", new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the change is stored even while the engine is away");
        var term = (await added.Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;
        Assert.That(term.ListingsReindexed, Is.Null, "nothing could be re-indexed yet");
        Assert.That((await Status(app))!.GlossaryChangesWaiting, Is.EqualTo(1));

        failing.Down = false;
        // After the grace the request that made the change has (ListingIndexer.GlossaryChangeGrace).
        Assert.That(await TestApp.WaitUntil(async () => (await Status(app)) is { GlossaryChangesWaiting: 0, Backlog.Pending: 0 }, seconds: 30),
            "the background indexer queues and indexes the change's listings");
        var matches = (await app.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options))!;
        Assert.That(matches.Items.Single(i => i.Listing.Id == offer).Explanation!.SharedConcepts.Select(c => c.Id), Does.Contain(term.Id));
    }

    /// <summary>The real engine, whose rebuilds take a second per document: long enough for a client to give up.</summary>
    sealed class SlowRebuild
    {
        public IListingIndex Wrap(IListingIndex inner) => new Wrapper(inner);

        sealed class Wrapper(IListingIndex inner) : IListingIndex
        {
            public Task<bool> NeedsRebuildAsync(CancellationToken ct = default) => inner.NeedsRebuildAsync(ct);
            public Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken ct = default) => inner.UpsertAsync(documents, ct);
            public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default) => inner.SearchAsync(query, ct);
            public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken ct = default) => inner.MatchAsync(query, ct);
            public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
                CancellationToken ct = default) => inner.FindMentionsAsync(conceptId, phrases, ct);
            public Task<long> CountAsync(CancellationToken ct = default) => inner.CountAsync(ct);
            public void Dispose() => inner.Dispose();

            public Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken ct = default) =>
                inner.RebuildAsync(Slowly(documents, ct), ct);

            static async IAsyncEnumerable<ListingDocument> Slowly(IAsyncEnumerable<ListingDocument> documents,
                [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
            {
                await foreach (var document in documents.WithCancellation(ct))
                {
                    await Task.Delay(TimeSpan.FromSeconds(0.4), ct);
                    yield return document;
                }
            }
        }
    }
}
