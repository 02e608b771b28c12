using System.Collections.Concurrent;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Glossary;
using Marketplace.Api.Indexing;
using Marketplace.Api.Infrastructure;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Tests.Storage;

/// <summary>Several API replicas drain one outbox on PostgreSQL: each row goes to exactly one of them.</summary>
public sealed class OutboxClaimTests
{
    [Test]
    public async Task TwoReplicasNeverIndexTheSameOutboxRowTwice()
    {
        var (connectionString, database) = Postgres.CreateDatabase();
        try
        {
            var db = new Db(new MarketplaceOptions { Database = { Provider = "postgres" } }, connectionString);
            await Migrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            var ids = await SeedAsync(db, 300);
            var catalog = new ConceptCatalog();
            var first = new RecordingIndex();
            var second = new RecordingIndex();
            var replicas = new[] { (first, new IndexOutbox(db, first, catalog, NullLogger<IndexOutbox>.Instance)),
                                   (second, new IndexOutbox(db, second, catalog, NullLogger<IndexOutbox>.Instance)) };

            await Task.WhenAll(replicas.Select(r => Task.Run(async () =>
            {
                while (await r.Item2.DrainOnceAsync(10, CancellationToken.None) > 0) { }
            })));

            Assert.That(first.Ids.Intersect(second.Ids), Is.Empty);
            Assert.That(first.Ids.Concat(second.Ids), Is.EquivalentTo(ids));
            Assert.That(first.Ids, Is.Not.Empty, "both replicas took part");
            Assert.That(second.Ids, Is.Not.Empty, "both replicas took part");
            Assert.That((await replicas[0].Item2.BacklogAsync(CancellationToken.None)).Pending, Is.Zero);
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    static async Task<List<string>> SeedAsync(Db db, int count)
    {
        var content = ListingContent.From(new ListingRequest
        {
            Title = new LocalizedText { Ru = "Насос" }, Description = new LocalizedText { Ru = "Насос для шахт." },
            Field = "transport-machinery", Trl = 5, CooperationForms = ["licensing"], Country = "RU",
        });
        await using var connection = await db.OpenAsync();
        await OrganizationsApi.EnsurePlatformAsync(connection, CancellationToken.None);
        var ids = Enumerable.Range(0, count).Select(i => $"of_test{i:D4}").ToList();
        var now = DateTimeOffset.UtcNow;
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO listings (id, kind, organization_id, external_ref, status, field, trl, country, body, version, index_status, created_at, updated_at)
            VALUES (@Id, 'offer', 'platform', NULL, 'published', 'transport-machinery', 5, 'RU', @Body, 1, 'pending', @now, @now)
            """, ids.Select(id => new { Id = id, Body = content.ToJson(), now }), transaction);
        var rows = ids.Select(id => new ListingRow { Id = id, Version = 1 }).ToList();
        await IndexOutbox.EnqueueAsync(connection, transaction, rows, CancellationToken.None);
        await transaction.CommitAsync();
        return ids;
    }

    sealed class RecordingIndex : IListingIndex
    {
        readonly ConcurrentBag<string> _ids = [];
        public IReadOnlyList<string> Ids => _ids.ToList();
        public bool NeedsRebuild => false;

        public async Task UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken ct = default)
        {
            await Task.Delay(5, ct); // an engine takes time, so the replicas' claims interleave
            foreach (var d in documents) _ids.Add(d.Id);
        }

        public Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => Task.CompletedTask;
        public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
            CancellationToken ct = default) => throw new NotSupportedException();
        public Task<long> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult((long)_ids.Count);
        public void Dispose() { }
    }
}
