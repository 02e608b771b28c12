using System.Net.Http.Json;
using Marketplace.Contracts;
using static Marketplace.Tests.Http.MatchFixtures;

namespace Marketplace.Tests.Http;

/// <summary>Two instances of the API on one PostgreSQL database, as replicas run.</summary>
public sealed class ReplicaTests
{
    [Test]
    // Each instance has its own embedded index here; what is shared, and tested, is the glossary they extract concepts with.
    public async Task AGlossaryChangeMadeOnOneReplicaReachesTheOtherWithinSeconds()
    {
        var (connectionString, database) = Postgres.CreateDatabase();
        try
        {
            var fast = new Dictionary<string, string> { ["Marketplace:Glossary:ReloadSeconds"] = "0.5" };
            using var a = new TestApp("postgres", connectionString: connectionString, settings: fast);
            using var b = new TestApp("postgres", connectionString: connectionString, settings: fast);
            var statusOfB = async () => (await b.Admin().GetFromJsonAsync<IndexStatusResponse>("/api/v1/admin/index-status", Json.Options))!;
            var before = (await statusOfB()).GlossaryRevision;

            var added = await a.Admin().PostAsJsonAsync("/api/v1/glossary", new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" });
            var term = (await added.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!;

            Assert.That(await TestApp.WaitUntil(async () => (await statusOfB()).GlossaryRevision > before, seconds: 10),
                "B reloads the glossary A changed");
            // B now finds the new concept in what it indexes and in what it is asked to match: only the new term bridges these two.
            var offer = await Post(b.Admin(), "offers", Listing(null, null, "Рафинирование касторового масла",
                "Установка рафинирования касторового масла.", "applied-chemistry", 7, ["licensing"], "RU"));
            var need = Listing("蓖麻油精炼", "需要蓖麻油精炼工艺。", null, null, "applied-chemistry", 6, ["licensing"], "CN");
            var body = new Dictionary<string, object?>(need) { ["target"] = "offers" };
            var matches = await (await b.Admin().PostAsJsonAsync("/api/v1/match?explain=true", body)).EnsureSuccessStatusCode().Content
                .ReadFromJsonAsync<MatchResponse>(Json.Options);
            var explained = matches!.Items.Single(i => i.Listing.Id == offer).Explanation!;
            Assert.That(explained.SharedConcepts.Select(c => c.Id), Does.Contain(term.Id), "B finds the new concept on both sides");
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    [Test]
    public async Task AReplicaThatHasNotPolledYetIndexesWithTheGlossaryAsItIsNow()
    {
        var (connectionString, database) = Postgres.CreateDatabase();
        try
        {
            using var a = new TestApp("postgres", connectionString: connectionString);
            // B polls once an hour: what it indexes must not wait for that.
            using var b = new TestApp("postgres", connectionString: connectionString,
                settings: new Dictionary<string, string> { ["Marketplace:Glossary:ReloadSeconds"] = "3600" });
            _ = await b.Anonymous().GetAsync("/health/live");

            var term = await (await a.Admin().PostAsJsonAsync("/api/v1/glossary", new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" }))
                .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<GlossaryTermResponse>(Json.Options);
            var offer = await Post(b.Admin(), "offers", Listing(null, null, "Рафинирование касторового масла",
                "Установка рафинирования касторового масла.", "applied-chemistry", 7, ["licensing"], "RU"));
            var need = await Post(b.Admin(), "needs", Listing("蓖麻油精炼", "需要蓖麻油精炼工艺。", null, null, "applied-chemistry", 6, ["licensing"], "CN"));

            var matches = await b.Anonymous().GetFromJsonAsync<MatchResponse>($"/api/v1/needs/{need}/matches?explain=true", Json.Options);
            var explained = matches!.Items.Single(i => i.Listing.Id == offer).Explanation!;
            Assert.That(explained.SharedConcepts.Select(c => c.Id), Does.Contain(term!.Id), "B indexed both listings with the concept A added");
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }
}
