using System.Collections.Concurrent;
using Dapper;
using Marketplace.Api.Auth;
using Marketplace.Api.Glossary;
using Marketplace.Api.Indexing;
using Marketplace.Api.Hosting;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Search;
using Microsoft.Extensions.Logging.Abstractions;

namespace Marketplace.Tests.Storage;

/// <summary>Who indexes an outbox row: several replicas on PostgreSQL each take different rows, and the background indexer leaves a write path's rows to it.</summary>
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
            // Rows whose write path crashed before indexing: due for the indexers.
            var ids = await SeedAsync(db, 300, DateTimeOffset.UtcNow);
            var first = new RecordingIndex();
            var second = new RecordingIndex();
            var replicas = new[] { Indexer(db, first), Indexer(db, second) };

            await Task.WhenAll(replicas.Select(r => Task.Run(async () =>
            {
                while (await r.DrainOnceAsync(10, CancellationToken.None) > 0) { }
            })));

            Assert.That(first.Ids.Intersect(second.Ids), Is.Empty);
            Assert.That(first.Ids.Concat(second.Ids), Is.EquivalentTo(ids));
            Assert.That(first.Ids, Is.Not.Empty, "both replicas took part");
            Assert.That(second.Ids, Is.Not.Empty, "both replicas took part");
            Assert.That((await new IndexOutbox(db, new IndexingOptions()).BacklogAsync(CancellationToken.None)).Pending, Is.Zero);
        }
        finally
        {
            Postgres.DropDatabase(database);
        }
    }

    [Test]
    public async Task TheIndexerLeavesAWritePathsRowsToItUnlessItsAttemptFails()
    {
        var file = Path.Combine(Path.GetTempPath(), $"marketplace-outbox-{Guid.NewGuid():N}.db");
        try
        {
            var db = new Db(new MarketplaceOptions(), $"Data Source={file}");
            await Migrator.MigrateAsync(db, NullLogger.Instance, CancellationToken.None);
            var ids = await SeedAsync(db, 3, due: null);
            var engine = new RecordingIndex { Down = true };
            var indexer = Indexer(db, engine);

            Assert.That(await indexer.DrainOnceAsync(10, CancellationToken.None), Is.Zero, "the write path is still indexing these");

            await using (var connection = await db.OpenAsync())
            {
                var rows = (await connection.QueryAsync<ListingRow>($"SELECT {ListingStore.Columns} FROM listings")).ToList();
                await indexer.IndexNowAsync(rows);
            }
            engine.Down = false;

            Assert.That(await indexer.DrainOnceAsync(10, CancellationToken.None), Is.EqualTo(3), "a failed attempt hands its rows over at once");
            Assert.That(engine.Ids, Is.EquivalentTo(ids));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>A replica's indexer over its own engine.</summary>
    internal static ListingIndexer Indexer(Db db, IListingIndex engine, IndexingOptions? options = null)
    {
        var catalog = new ConceptCatalog(new TextAnalysis());
        var glossary = new GlossaryStore(db, NullLogger<GlossaryStore>.Instance);
        var lexicon = new Marketplace.Api.Lexicon.LexiconStore(db, NullLogger<Marketplace.Api.Lexicon.LexiconStore>.Instance);
        return new ListingIndexer(engine, catalog, new GlossaryReloader(glossary, lexicon, catalog, new GlossaryOptions(), NullLogger<GlossaryReloader>.Instance),
            glossary, new IndexOutbox(db, options ?? new IndexingOptions()), new ListingStore(db), db, new IndexingHealth(), new Lifetime(),
            NullLogger<ListingIndexer>.Instance);
    }

    sealed class Lifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    /// <param name="due">When the indexers may take the rows; null: as a write path enqueues them (it indexes them itself).</param>
    static async Task<List<string>> SeedAsync(Db db, int count, DateTimeOffset? due)
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
        if (due is { } at) await IndexOutbox.EnqueueAsync(connection, transaction, rows, at, CancellationToken.None);
        else await IndexOutbox.EnqueueAsync(connection, transaction, rows, CancellationToken.None);
        await transaction.CommitAsync();
        return ids;
    }

    sealed class RecordingIndex : IListingIndex
    {
        readonly ConcurrentBag<string> _ids = [];
        public IReadOnlyList<string> Ids => _ids.ToList();
        public Task<bool> NeedsRebuildAsync(CancellationToken ct = default) => Task.FromResult(false);
        public bool Down { get; set; }

        public async Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken ct = default)
        {
            if (Down) throw new SearchEngineUnavailableException("engine down");
            await Task.Delay(5, ct); // an engine takes time, so the replicas' claims interleave
            foreach (var d in documents) _ids.Add(d.Id);
            return new IndexWrite(documents.Count, []);
        }

        public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
            CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult((long)_ids.Count);
        public void Dispose() { }
    }
}
