using Dapper;
using System.Net;
using System.Net.Http.Json;
using Marketplace.Api.Hosting;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Tests.Storage;

/// <summary>Switching an embedded installation to PostgreSQL keeps listings, keys, agencies' clients, the curated glossary and lexicon.</summary>
public sealed class DatabaseCopyTests
{
    [Test]
    public async Task AnEmbeddedInstallationMovesToPostgresWithItsListingsKeysAndGlossary()
    {
        var (connectionString, database) = Postgres.CreateDatabase();
        var dataDir = Path.Combine(Path.GetTempPath(), "marketplace-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string offerId, termId, entryId, memberOrg, agencyOrg, introductionId, webhookId;
            List<string> events;
            HttpClient member, agency;
            using (var embedded = new TestApp(dataDir: dataDir, settings: new Dictionary<string, string> { ["Marketplace:Webhooks:AllowPrivateTargets"] = "true" }))
            {
                (memberOrg, member) = await embedded.OrganizationWithKey("member");
                (agencyOrg, agency) = await embedded.OrganizationWithKey("agency");
                await embedded.Serve(agencyOrg, memberOrg);
                webhookId = (await (await member.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook" })).EnsureSuccessStatusCode().Content
                    .ReadFromJsonAsync<WebhookResponse>(Json.Options))!.Id;
                entryId = (await (await embedded.Admin().PostAsJsonAsync("/api/v1/lexicon",
                        new { area = "field-applied-chemistry", zh = new[] { "蓖麻籽" }, ru = new[] { "семена клещевины" } })).EnsureSuccessStatusCode().Content
                    .ReadFromJsonAsync<LexiconEntryResponse>(Json.Options))!.Id;
                offerId = (await (await member.PostAsJsonAsync("/api/v1/offers", Samples.RussianPump("copy-1"))).Content
                    .ReadFromJsonAsync<ListingResponse>(Json.Options))!.Id;
                var interest = (await (await agency.PostAsJsonAsync("/api/v1/interests",
                        new { listingId = offerId, message = new { zh = "希望洽谈许可。" } })).EnsureSuccessStatusCode().Content
                    .ReadFromJsonAsync<InterestResponse>(Json.Options))!;
                introductionId = (await (await member.PostAsync($"/api/v1/interests/{interest.Id}/accept", null)).EnsureSuccessStatusCode().Content
                    .ReadFromJsonAsync<InterestResponse>(Json.Options))!.IntroductionId!;
                events = (await member.GetFromJsonAsync<EventFeed>($"/api/v1/events?organizationId={memberOrg}", Json.Options))!.Items.Select(e => e.Id).ToList();
                Assert.That(events, Has.Count.EqualTo(2), "interest.received and introduction.changed");
                termId = (await (await embedded.Admin().PostAsJsonAsync("/api/v1/glossary",
                        new { field = "applied-chemistry", zh = "蓖麻油", ru = "касторовое масло" })).Content
                    .ReadFromJsonAsync<GlossaryTermResponse>(Json.Options))!.Id;
            }
            var memberKey = member.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
            var agencyKey = agency.DefaultRequestHeaders.GetValues("X-Api-Key").Single();

            var source = new Db(new MarketplaceOptions { DataDir = dataDir }, null);
            // A delivery held by a replica when the copy runs: its claim is a timestamp like any other.
            var until = DateTimeOffset.UtcNow.AddMinutes(1);
            await using (var connection = await source.OpenAsync(CancellationToken.None))
            {
                Assert.That(await connection.ExecuteAsync("UPDATE deliveries SET claimed_by = 'replica', claimed_until = @until", new { until }), Is.EqualTo(2));
                // A pair alerted before the move: after it, the same pair is alerted again only when its score rises.
                await connection.ExecuteAsync("INSERT INTO match_alerts (listing_id, match_id, score, at) VALUES (@offerId, 'lst_elsewhere', 0.7, @until)",
                    new { offerId, until });
            }
            var target = new Db(new MarketplaceOptions { Database = { Provider = "postgres" } }, connectionString);
            var counts = await DatabaseCopy.CopyAsync(source, target, NullLogger.Instance, CancellationToken.None);
            Assert.That(counts["listings"], Is.EqualTo(1));
            await using (var connection = await target.OpenAsync(CancellationToken.None))
            {
                var claim = await connection.QuerySingleAsync<(long Count, DateTime Until)>(
                    "SELECT COUNT(*), MIN(claimed_until) FROM deliveries WHERE claimed_by = 'replica'");
                Assert.That(claim.Count, Is.EqualTo(2));
                Assert.That(claim.Until, Is.EqualTo(until.UtcDateTime).Within(TimeSpan.FromSeconds(1)), "the claim moves as a timestamp");
                Assert.That(await connection.ExecuteScalarAsync<double>("SELECT score FROM match_alerts WHERE match_id = 'lst_elsewhere'"), Is.EqualTo(0.7));
            }

            using var moved = new TestApp("postgres", connectionString: connectionString);
            var found = await moved.Anonymous().GetFromJsonAsync<SearchPage>("/api/v1/offers?q=" + Uri.EscapeDataString("насосы"), Json.Options);
            Assert.That(found!.Items.Single().Id, Is.EqualTo(offerId), "the new index was rebuilt from the copied rows");
            var body = Samples.RussianPump("copy-1");
            body["trl"] = 9;
            var update = await moved.WithKey(memberKey).PutAsJsonAsync($"/api/v1/offers/{offerId}", body);
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the hashed member key still works");
            Assert.That((await moved.Admin().GetAsync($"/api/v1/glossary/{termId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await moved.Admin().GetAsync($"/api/v1/lexicon/{Uri.EscapeDataString(entryId)}")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
                "a curated lexicon entry moves too");
            Assert.That((await moved.WithKey(agencyKey).GetAsync($"/api/v1/organizations/{memberOrg}")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
                "the agency still serves its client");
            var introduction = await moved.WithKey(memberKey).GetFromJsonAsync<IntroductionResponse>($"/api/v1/introductions/{introductionId}", Json.Options);
            Assert.That(introduction!.History.Select(e => (e.Status, e.By)), Is.EqualTo(new[] { (IntroductionStatus.Introduced, memberOrg) }),
                "interests and introductions move with their history");
            var movedFeed = await moved.WithKey(memberKey).GetFromJsonAsync<EventFeed>($"/api/v1/events?organizationId={memberOrg}", Json.Options);
            Assert.That(movedFeed!.Items.Select(e => e.Id), Is.EqualTo(events), "events keep their ids and their order");
            var deliveries = await moved.WithKey(memberKey).GetFromJsonAsync<Page<DeliveryResponse>>($"/api/v1/webhooks/{webhookId}/deliveries", Json.Options);
            Assert.That(deliveries!.Items.Select(d => d.EventId), Is.EquivalentTo(events), "the webhook moves with its deliveries");
            await using (var connection = await target.OpenAsync())
                Assert.That(await connection.ExecuteScalarAsync<long>("SELECT value FROM event_sequence WHERE id = 1"),
                    Is.EqualTo(await connection.ExecuteScalarAsync<long>("SELECT MAX(seq) FROM events")), "the feed goes on after the copied events");
            await Assert.ThatAsync(() => DatabaseCopy.CopyAsync(source, target, NullLogger.Instance, CancellationToken.None),
                Throws.InstanceOf<InvalidOperationException>(), "a second copy into a database that has data is refused");
        }
        finally
        {
            Postgres.DropDatabase(database);
            try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { }
        }
    }
}
