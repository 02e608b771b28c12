using Dapper;
using Marketplace.Api.Listings;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Glossary;

/// <summary>
/// The glossary table, the in-memory catalog built from it, and the re-indexing a change causes.
/// The shipped file seeds the table; a curator's change or removal is kept across upgrades.
/// </summary>
public sealed class GlossaryStore(Db db, ConceptCatalog catalog, IListingIndex index, Indexing.IndexOutbox outbox, ILogger<GlossaryStore> logger)
{
    public const string ShippedResource = "Marketplace.Api.Glossary.glossary.tsv";

    public sealed class Row
    {
        public string Id { get; set; } = "";
        public string Field { get; set; } = "";
        public string Zh { get; set; } = "";
        public string Ru { get; set; } = "";
        public string Origin { get; set; } = "";
        public long Deleted { get; set; }
        public long Version { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public Concept ToConcept() => new(Id, Field, GlossaryTsv.Split(Zh), GlossaryTsv.Split(Ru));

        public GlossaryTermResponse ToResponse(long? reindexed = null)
        {
            var zh = GlossaryTsv.Split(Zh);
            var ru = GlossaryTsv.Split(Ru);
            return new(Id, Field, zh.FirstOrDefault() ?? "", ru.FirstOrDefault() ?? "", zh.Skip(1).ToList(), ru.Skip(1).ToList(),
                Origin, UpdatedAt, Version, reindexed);
        }
    }

    const string Columns = "id, field, zh, ru, origin, deleted, version, updated_at";

    public static IReadOnlyList<Concept> Shipped()
    {
        using var stream = typeof(GlossaryStore).Assembly.GetManifestResourceStream(ShippedResource)
                           ?? throw new InvalidOperationException($"The shipped glossary {ShippedResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return GlossaryTsv.Parse(reader);
    }

    /// <summary>Adds shipped concepts the table does not know yet (never one a curator removed) and loads the catalog.</summary>
    public async Task SeedAndLoadAsync(CancellationToken ct)
    {
        var shipped = Shipped();
        await using (var connection = await db.OpenAsync(ct))
        {
            var known = (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM glossary_terms", cancellationToken: ct))).ToHashSet();
            var missing = shipped.Where(c => !known.Contains(c.Id)).ToList();
            if (missing.Count > 0)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var now = DateTimeOffset.UtcNow;
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO glossary_terms ({Columns}) VALUES (@Id, @Field, @Zh, @Ru, 'shipped', 0, 1, @now)",
                    missing.Select(c => new { c.Id, c.Field, Zh = GlossaryTsv.Join(c.Zh), Ru = GlossaryTsv.Join(c.Ru), now }),
                    transaction, cancellationToken: ct));
                await transaction.CommitAsync(ct);
                logger.LogInformation("Glossary: {Count} shipped concepts added", missing.Count);
            }
        }
        await ReloadAsync(ct);
    }

    async Task ReloadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM glossary_terms WHERE deleted = 0", cancellationToken: ct));
        catalog.Load(rows.Select(r => r.ToConcept()));
    }

    public async Task<Row?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM glossary_terms WHERE id = @id AND deleted = 0", new { id }, cancellationToken: ct));
    }

    public async Task<(IReadOnlyList<Row> Rows, long Total)> ListAsync(string? field, string? q, int offset, int limit, CancellationToken ct)
    {
        var where = "deleted = 0 AND (@field IS NULL OR field = @field) AND (@q IS NULL OR zh LIKE @like OR LOWER(ru) LIKE LOWER(@like))";
        var args = new { field, q, like = q is null ? null : $"%{q}%", offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM glossary_terms WHERE {where}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM glossary_terms WHERE {where} ORDER BY id LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return (rows.ToList(), total);
    }

    public async Task<Row> AddAsync(GlossaryTermRequest term, CancellationToken ct)
    {
        var row = new Row
        {
            Id = "g-" + Guid.CreateVersion7().ToString("N")[..20],
            Field = term.Field!,
            Zh = Names(term.Zh, term.ZhSynonyms),
            Ru = Names(term.Ru, term.RuSynonyms),
            Origin = "curated",
            Version = 1,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await using (var connection = await db.OpenAsync(ct))
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO glossary_terms ({Columns}) VALUES (@Id, @Field, @Zh, @Ru, @Origin, 0, @Version, @UpdatedAt)", row, cancellationToken: ct));
        return row;
    }

    /// <summary>Replaces a term when <paramref name="expectedVersion"/> is current (or null); null when it is not.</summary>
    public async Task<Row?> ReplaceAsync(Row current, GlossaryTermRequest term, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            UPDATE glossary_terms SET field = @field, zh = @zh, ru = @ru, origin = 'curated', version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version AND deleted = 0
            RETURNING {Columns}
            """,
            new { id = current.Id, version = current.Version, field = term.Field, zh = Names(term.Zh, term.ZhSynonyms), ru = Names(term.Ru, term.RuSynonyms), now = DateTimeOffset.UtcNow },
            cancellationToken: ct));
    }

    public async Task<bool> RemoveAsync(Row current, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE glossary_terms SET deleted = 1, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version AND deleted = 0",
            new { current.Id, current.Version, now = DateTimeOffset.UtcNow }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Reloads the catalog and re-indexes every listing that carried the concept before the change
    /// or mentions one of its names (old or new) now.
    /// </summary>
    public async Task<int> ApplyChangeAsync(string conceptId, IEnumerable<Row> versions, CancellationToken ct)
    {
        await ReloadAsync(ct);
        var phrases = new Dictionary<string, IReadOnlyList<string>>
        {
            [Languages.Zh] = versions.SelectMany(v => GlossaryTsv.Split(v.Zh)).Distinct().ToList(),
            [Languages.Ru] = versions.SelectMany(v => GlossaryTsv.Split(v.Ru)).Distinct().ToList(),
        };
        var ids = await index.FindMentionsAsync(conceptId, phrases, ct);
        // Through the outbox: if the engine fails half way, the rest is still re-indexed later.
        await outbox.EnqueueAsync(ids, ct);
        try
        {
            await outbox.DrainAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Re-indexing after the glossary change waits for the search engine ({Error})", e.Message);
        }
        var count = ids.Count;
        logger.LogInformation("Glossary concept {Id} changed; {Count} listings re-indexed", conceptId, count);
        return count;
    }

    static string Names(string? label, IReadOnlyList<string>? synonyms) =>
        GlossaryTsv.Join(new[] { label!.Trim() }.Concat((synonyms ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)).Distinct());
}
