using System.Data.Common;
using Dapper;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Glossary;

/// <summary>
/// The glossary table, SQL only. The shipped file seeds it; a curator's change or removal is kept
/// across upgrades. Every change raises the glossary revision in its own transaction, which is how
/// every replica learns that its catalog is out of date (<see cref="GlossaryReloader"/>).
/// </summary>
public sealed partial class GlossaryStore(Db db, ILogger<GlossaryStore> logger)
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

    /// <summary>A Chinese name the change would give to a second concept.</summary>
    public sealed record NameTaken(string Name, string ConceptId);

    /// <summary>A term written, and the change recorded with it (<see cref="Change"/>).</summary>
    public sealed record Written(Row Row, string ChangeId);

    /// <summary>
    /// A glossary change waiting for its listings to be re-indexed: the concept and its names before
    /// and after, by which the listings that carried it or mention it now are found.
    /// </summary>
    public sealed class Change
    {
        public string Id { get; set; } = "";
        public string ConceptId { get; set; } = "";
        public string Zh { get; set; } = "";
        public string Ru { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }

        public IReadOnlyDictionary<string, IReadOnlyList<string>> Phrases => new Dictionary<string, IReadOnlyList<string>>
        {
            [Languages.Zh] = GlossaryTsv.Split(Zh),
            [Languages.Ru] = GlossaryTsv.Split(Ru),
        };
    }

    const string Columns = "id, field, zh, ru, origin, deleted, version, updated_at";

    public static IReadOnlyList<Concept> Shipped()
    {
        using var stream = typeof(GlossaryStore).Assembly.GetManifestResourceStream(ShippedResource)
                           ?? throw new InvalidOperationException($"The shipped glossary {ShippedResource} is missing from the build.");
        using var reader = new StreamReader(stream);
        return GlossaryTsv.Parse(reader);
    }

    /// <summary>Adds shipped concepts the table does not know yet (never one a curator removed).</summary>
    public async Task SeedAsync(CancellationToken ct)
    {
        var shipped = Shipped();
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await db.LockForTransactionAsync(connection, transaction, Db.GlossaryLock, ct);
        var stored = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM glossary_terms", transaction: transaction, cancellationToken: ct))).ToList();
        var known = stored.Select(r => r.Id).ToHashSet();
        // A Chinese name belongs to one concept: a shipped concept whose name a curator gave to another is left out.
        var taken = stored.Where(r => r.Deleted == 0).SelectMany(r => GlossaryTsv.Split(r.Zh)).Select(ConceptExtractor.NormalizeChinese).ToHashSet();
        var missing = new List<Concept>();
        foreach (var concept in shipped.Where(c => !known.Contains(c.Id)))
        {
            var names = concept.Zh.Select(ConceptExtractor.NormalizeChinese).ToList();
            if (names.Any(taken.Contains))
            {
                LogShippedSkipped(logger, concept.Id, concept.ZhLabel);
                continue;
            }
            missing.Add(concept);
            taken.UnionWith(names);
        }
        if (missing.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO glossary_terms ({Columns}) VALUES (@Id, @Field, @Zh, @Ru, 'shipped', 0, 1, @now)",
            missing.Select(c => new { c.Id, c.Field, Zh = GlossaryTsv.Join(c.Zh), Ru = GlossaryTsv.Join(c.Ru), now }),
            transaction, cancellationToken: ct));
        await RaiseRevisionAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        LogSeeded(logger, missing.Count);
    }

    /// <summary>Every concept, and the revision they are at, read in one transaction so the two agree.</summary>
    public async Task<(IReadOnlyList<Concept> Concepts, long Revision)> ReadAllAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var revision = await RevisionAsync(connection, transaction, ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM glossary_terms WHERE deleted = 0", transaction: transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return (rows.Select(r => r.ToConcept()).ToList(), revision);
    }

    public async Task<long> RevisionAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await RevisionAsync(connection, null, ct);
    }

    /// <summary>The vocabulary revision: every change of the glossary or the lexicon raises it, and replicas reload when it moves.</summary>
    public static Task<long> RevisionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT revision FROM glossary_revision WHERE id = 1", transaction: transaction,
            cancellationToken: ct));

    public static Task RaiseRevisionAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("UPDATE glossary_revision SET revision = revision + 1 WHERE id = 1", transaction: transaction,
            cancellationToken: ct));

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

    /// <summary>Adds a term pair; refused (with the concept that has it) when one of its Chinese names belongs to another concept.</summary>
    public Task<(Written? Written, NameTaken? Taken)> AddAsync(GlossaryTermRequest term, CancellationToken ct) =>
        WriteAsync(null, term, async (connection, transaction) =>
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
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO glossary_terms ({Columns}) VALUES (@Id, @Field, @Zh, @Ru, @Origin, 0, @Version, @UpdatedAt)", row, transaction,
                cancellationToken: ct));
            return row;
        }, ct);

    /// <summary>Replaces a term while it is at <paramref name="current"/>'s version (Row null when it is not), with the same rule as <see cref="AddAsync"/>.</summary>
    public Task<(Written? Written, NameTaken? Taken)> ReplaceAsync(Row current, GlossaryTermRequest term, CancellationToken ct) =>
        WriteAsync(current, term, (connection, transaction) => connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            UPDATE glossary_terms SET field = @field, zh = @zh, ru = @ru, origin = 'curated', version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version AND deleted = 0
            RETURNING {Columns}
            """,
            new
            {
                id = current.Id, version = current.Version, field = term.Field, zh = Names(term.Zh, term.ZhSynonyms),
                ru = Names(term.Ru, term.RuSynonyms), now = DateTimeOffset.UtcNow,
            }, transaction, cancellationToken: ct)), ct);

    /// <summary>
    /// One glossary write at a time (so two curators cannot give one name to two concepts): checked,
    /// done, the revision raised and the change recorded in one transaction. Written is null when
    /// <paramref name="current"/> is no longer the stored version.
    /// </summary>
    async Task<(Written? Written, NameTaken? Taken)> WriteAsync(Row? current, GlossaryTermRequest term,
        Func<DbConnection, DbTransaction, Task<Row?>> write, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await db.LockForTransactionAsync(connection, transaction, Db.GlossaryLock, ct);
        if (await TakenAsync(connection, transaction, current?.Id, GlossaryTsv.Split(Names(term.Zh, term.ZhSynonyms)), ct) is { } taken)
            return (null, taken);
        var row = await write(connection, transaction);
        if (row is null) return (null, null);
        var change = await RecordAsync(connection, transaction, row.Id, current is null ? [row] : [current, row], ct);
        await transaction.CommitAsync(ct);
        return (new Written(row, change), null);
    }

    /// <summary>Raises the revision and records the change for re-indexing, in the change's transaction.</summary>
    async Task<string> RecordAsync(DbConnection connection, DbTransaction transaction, string conceptId, IReadOnlyList<Row> versions,
        CancellationToken ct)
    {
        await RaiseRevisionAsync(connection, transaction, ct);
        var id = Guid.CreateVersion7().ToString("N");
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO glossary_changes (id, concept_id, zh, ru, created_at) VALUES (@id, @conceptId, @zh, @ru, @now)",
            new
            {
                id, conceptId, now = DateTimeOffset.UtcNow,
                zh = GlossaryTsv.Join(versions.SelectMany(v => GlossaryTsv.Split(v.Zh)).Distinct()),
                ru = GlossaryTsv.Join(versions.SelectMany(v => GlossaryTsv.Split(v.Ru)).Distinct()),
            }, transaction, cancellationToken: ct));
        return id;
    }

    /// <summary>Changes whose listings are not yet queued for re-indexing, oldest first.</summary>
    public async Task<IReadOnlyList<Change>> PendingChangesAsync(string? id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Change>(new CommandDefinition(
            "SELECT id, concept_id, zh, ru, created_at FROM glossary_changes WHERE @id IS NULL OR id = @id ORDER BY id LIMIT 100", new { id },
            cancellationToken: ct))).ToList();
    }

    public async Task<long> PendingChangeCountAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM glossary_changes", cancellationToken: ct));
    }

    public async Task ForgetChangeAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM glossary_changes WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>
    /// A Chinese name belongs to one concept: the extractor would otherwise find two concepts in one
    /// word. (Russian names may be shared: one Russian term often covers several Chinese ones.)
    /// </summary>
    static async Task<NameTaken?> TakenAsync(DbConnection connection, DbTransaction transaction, string? conceptId, IReadOnlyList<string> zh,
        CancellationToken ct)
    {
        var wanted = zh.Select(ConceptExtractor.NormalizeChinese).ToHashSet();
        var rows = await connection.QueryAsync<(string Id, string Zh)>(new CommandDefinition(
            "SELECT id, zh FROM glossary_terms WHERE deleted = 0", transaction: transaction, cancellationToken: ct));
        foreach (var (id, names) in rows)
        {
            if (id == conceptId) continue;
            if (GlossaryTsv.Split(names).FirstOrDefault(n => wanted.Contains(ConceptExtractor.NormalizeChinese(n))) is { } name)
                return new NameTaken(name, id);
        }
        return null;
    }

    /// <summary>Removes a term while it is at <paramref name="current"/>'s version; the id of the change recorded, or null when it is not.</summary>
    public async Task<string?> RemoveAsync(Row current, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE glossary_terms SET deleted = 1, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version AND deleted = 0",
            new { current.Id, current.Version, now = DateTimeOffset.UtcNow }, transaction, cancellationToken: ct)) == 1;
        if (!removed) return null;
        var change = await RecordAsync(connection, transaction, current.Id, [current], ct);
        await transaction.CommitAsync(ct);
        return change;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Glossary: shipped concept {ConceptId} ({Name}) not added: another concept has its Chinese name")]
    static partial void LogShippedSkipped(ILogger logger, string conceptId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Glossary: {Count} shipped concepts added")]
    static partial void LogSeeded(ILogger logger, int count);

    static string Names(string? label, IReadOnlyList<string>? synonyms) =>
        GlossaryTsv.Join(new[] { label!.Trim() }.Concat((synonyms ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)).Distinct());
}
