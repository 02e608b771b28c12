using System.Data.Common;
using Dapper;
using Marketplace.Api.Glossary;
using Marketplace.Api.Storage;
using Marketplace.Contracts;
using Marketplace.Matching;

namespace Marketplace.Api.Lexicon;

/// <summary>
/// The word lexicon table, SQL only. The shipped files (one per area) seed it; a curator's change or
/// removal is kept across upgrades. Every change raises the vocabulary revision (shared with the
/// glossary) in its own transaction, so every replica reloads. Translation happens when a match is
/// asked, so a change needs no re-indexing.
/// </summary>
public sealed partial class LexiconStore(Db db, ILogger<LexiconStore> logger)
{
    const string ResourcePrefix = "Marketplace.Api.Lexicon.data.";
    const string Columns = "id, area, zh, ru, en, origin, deleted, version, updated_at";

    public sealed class Row
    {
        public string Id { get; set; } = "";
        public string Area { get; set; } = "";
        public string Zh { get; set; } = "";
        public string Ru { get; set; } = "";
        public string En { get; set; } = "";
        public string Origin { get; set; } = "";
        public long Deleted { get; set; }
        public long Version { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public LexiconEntry ToEntry() => new(Id, Area, GlossaryTsv.Split(Zh), GlossaryTsv.Split(Ru), GlossaryTsv.Split(En));

        public LexiconEntryResponse ToResponse() =>
            new(Id, Area, GlossaryTsv.Split(Zh), GlossaryTsv.Split(Ru), GlossaryTsv.Split(En), Origin, UpdatedAt, Version);
    }

    /// <summary>A Chinese form another entry of the same area has.</summary>
    public sealed record FormTaken(string Form, string EntryId);

    static IEnumerable<string> ResourceNames() => typeof(LexiconStore).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    static string AreaOf(string resource) => Path.GetFileNameWithoutExtension(resource[ResourcePrefix.Length..]);

    /// <summary>The areas an entry may belong to, the shipped files' names: <c>abbreviations</c>, <c>general-machines</c>, <c>field-biotech</c>, ...</summary>
    public static IReadOnlyList<string> Areas { get; } = ResourceNames().Select(AreaOf).ToList();

    /// <summary>Every shipped entry, file by file (the file's name is the area).</summary>
    public static IReadOnlyList<LexiconEntry> Shipped()
    {
        var entries = new List<LexiconEntry>();
        foreach (var name in ResourceNames())
        {
            using var stream = typeof(LexiconStore).Assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            entries.AddRange(LexiconTsv.Parse(reader, AreaOf(name)));
        }
        return entries;
    }

    /// <summary>Adds shipped entries the table does not know yet (never one a curator removed), a few hundred rows per statement.</summary>
    public async Task SeedAsync(CancellationToken ct)
    {
        var shipped = Shipped();
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await db.LockForTransactionAsync(connection, transaction, Db.GlossaryLock, ct);
        var known = (await connection.QueryAsync<string>(new CommandDefinition("SELECT id FROM lexicon_entries", transaction: transaction,
            cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var missing = shipped.Where(e => !known.Contains(e.Id)).ToList();
        if (missing.Count == 0) return;
        var now = DateTimeOffset.UtcNow;
        // 17,000 rows one statement each would cost seconds on PostgreSQL at every first start.
        foreach (var chunk in missing.Chunk(200))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"(@id{i}, @area{i}, @zh{i}, @ru{i}, @en{i}, 'shipped', 0, 1, @now)"));
            var parameters = new DynamicParameters(new { now });
            for (var i = 0; i < chunk.Length; i++)
            {
                parameters.Add($"id{i}", chunk[i].Id);
                parameters.Add($"area{i}", chunk[i].Area);
                parameters.Add($"zh{i}", GlossaryTsv.Join(chunk[i].Zh));
                parameters.Add($"ru{i}", GlossaryTsv.Join(chunk[i].Ru));
                parameters.Add($"en{i}", GlossaryTsv.Join(chunk[i].En));
            }
            await connection.ExecuteAsync(new CommandDefinition($"INSERT INTO lexicon_entries ({Columns}) VALUES {values}", parameters, transaction,
                cancellationToken: ct));
        }
        await GlossaryStore.RaiseRevisionAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        LogSeeded(logger, missing.Count);
    }

    public async Task<IReadOnlyList<LexiconEntry>> ReadAllAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM lexicon_entries WHERE deleted = 0", cancellationToken: ct))).Select(r => r.ToEntry()).ToList();
    }

    public async Task<Row?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM lexicon_entries WHERE id = @id AND deleted = 0", new { id }, cancellationToken: ct));
    }

    /// <summary>A page of entries of an area, or whose forms contain <paramref name="q"/>, in id order.</summary>
    public async Task<(IReadOnlyList<Row> Rows, long Total)> ListAsync(string? area, string? q, int offset, int limit, CancellationToken ct)
    {
        const string where = "deleted = 0 AND (@area IS NULL OR area = @area) AND (@q IS NULL OR zh LIKE @like OR LOWER(ru) LIKE LOWER(@like) OR LOWER(en) LIKE LOWER(@like))";
        var args = new { area, q, like = q is null ? null : $"%{q}%", offset, limit };
        await using var connection = await db.OpenAsync(ct);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM lexicon_entries WHERE {where}", args, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM lexicon_entries WHERE {where} ORDER BY id LIMIT @limit OFFSET @offset", args, cancellationToken: ct));
        return (rows.ToList(), total);
    }

    /// <summary>Adds an entry; refused when one of its Chinese forms is another entry's of the same area (one row per word and area).</summary>
    public Task<(Row? Row, FormTaken? Taken)> AddAsync(LexiconEntryRequest entry, CancellationToken ct) =>
        WriteAsync(null, entry, async (connection, transaction) =>
        {
            var row = new Row
            {
                Id = "lx-" + Guid.CreateVersion7().ToString("N")[..20], Area = entry.Area!, Zh = Join(entry.Zh), Ru = Join(entry.Ru), En = Join(entry.En),
                Origin = "curated", Version = 1, UpdatedAt = DateTimeOffset.UtcNow,
            };
            await connection.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO lexicon_entries ({Columns}) VALUES (@Id, @Area, @Zh, @Ru, @En, @Origin, 0, @Version, @UpdatedAt)", row, transaction,
                cancellationToken: ct));
            return row;
        }, ct);

    /// <summary>Replaces an entry while it is at <paramref name="current"/>'s version (Row null when it is not).</summary>
    public Task<(Row? Row, FormTaken? Taken)> ReplaceAsync(Row current, LexiconEntryRequest entry, CancellationToken ct) =>
        WriteAsync(current.Id, entry, (connection, transaction) => connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"""
            UPDATE lexicon_entries SET area = @area, zh = @zh, ru = @ru, en = @en, origin = 'curated', version = version + 1, updated_at = @now
            WHERE id = @id AND version = @version AND deleted = 0
            RETURNING {Columns}
            """,
            new { id = current.Id, version = current.Version, area = entry.Area, zh = Join(entry.Zh), ru = Join(entry.Ru), en = Join(entry.En), now = DateTimeOffset.UtcNow },
            transaction, cancellationToken: ct)), ct);

    async Task<(Row? Row, FormTaken? Taken)> WriteAsync(string? id, LexiconEntryRequest entry, Func<DbConnection, DbTransaction, Task<Row?>> write,
        CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await db.LockForTransactionAsync(connection, transaction, Db.GlossaryLock, ct);
        var wanted = entry.Zh!.Select(ConceptExtractor.NormalizeChinese).ToHashSet();
        var sameArea = await connection.QueryAsync<(string Id, string Zh)>(new CommandDefinition(
            "SELECT id, zh FROM lexicon_entries WHERE deleted = 0 AND area = @area", new { area = entry.Area }, transaction, cancellationToken: ct));
        foreach (var (other, forms) in sameArea)
            if (other != id && GlossaryTsv.Split(forms).FirstOrDefault(f => wanted.Contains(ConceptExtractor.NormalizeChinese(f))) is { } form)
                return (null, new FormTaken(form, other));
        var row = await write(connection, transaction);
        if (row is null) return (null, null);
        await GlossaryStore.RaiseRevisionAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return (row, null);
    }

    public async Task<bool> RemoveAsync(Row current, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var removed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE lexicon_entries SET deleted = 1, version = version + 1, updated_at = @now WHERE id = @Id AND version = @Version AND deleted = 0",
            new { current.Id, current.Version, now = DateTimeOffset.UtcNow }, transaction, cancellationToken: ct)) == 1;
        if (!removed) return false;
        await GlossaryStore.RaiseRevisionAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    static string Join(IReadOnlyList<string>? forms) => GlossaryTsv.Join((forms ?? []).Select(f => f.Trim()).Where(f => f.Length > 0).Distinct());

    [LoggerMessage(Level = LogLevel.Information, Message = "Lexicon: {Count} shipped entries added")]
    static partial void LogSeeded(ILogger logger, int count);
}
