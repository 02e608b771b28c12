using Lucene.Net.Store;
using Marketplace.Search;
using Marketplace.Search.Lucene;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Marketplace.Tests.Search;

/// <summary>The embedded index read from memory must read exactly what is on disk, and forget what Lucene deletes.</summary>
public sealed class ResidentDirectoryTests
{
    string _dir = "";

    [SetUp]
    public void Open() => _dir = System.IO.Directory.CreateTempSubdirectory("marketplace-resident").FullName;

    [TearDown]
    public void Close() => System.IO.Directory.Delete(_dir, recursive: true);

    static byte[] Bytes(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 % 251)).ToArray();

    static void Write(LuceneDirectory directory, string name, byte[] bytes)
    {
        using var output = directory.CreateOutput(name, IOContext.DEFAULT);
        output.WriteBytes(bytes, bytes.Length);
    }

    static byte[] ReadAll(IndexInput input)
    {
        var bytes = new byte[input.Length];
        input.ReadBytes(bytes, 0, bytes.Length);
        return bytes;
    }

    [Test]
    public void AFileIsReadFromMemoryAsWrittenAndForgottenWhenDeleted()
    {
        using var directory = new ResidentDirectory(new NIOFSDirectory(new DirectoryInfo(_dir)), budgetBytes: 1 << 20);
        var bytes = Bytes(5000);
        Write(directory, "_0.tim", bytes);

        using (var input = directory.OpenInput("_0.tim", IOContext.DEFAULT))
        {
            Assert.That(input, Is.InstanceOf<MemoryIndexInput>());
            Assert.That(ReadAll(input), Is.EqualTo(bytes));
            input.Seek(4990);
            using var clone = (IndexInput)input.Clone();
            Assert.That(clone.ReadByte(), Is.EqualTo(bytes[4990]));
            Assert.That(input.Position, Is.EqualTo(4990), "a clone moves on its own");
            input.Seek(4999);
            input.ReadByte();
            Assert.Throws<EndOfStreamException>(() => input.ReadByte());
        }
        Assert.That(directory.ResidentBytes, Is.EqualTo(5000));

        directory.DeleteFile("_0.tim");
        Assert.That(directory.ResidentBytes, Is.Zero);
        Assert.That(File.Exists(Path.Combine(_dir, "_0.tim")), Is.False);
        Assert.Catch<IOException>(() => directory.OpenInput("_0.tim", IOContext.DEFAULT));
    }

    [Test]
    public void SlicesOfACompoundFileReadTheirOwnRange()
    {
        using var directory = new ResidentDirectory(new NIOFSDirectory(new DirectoryInfo(_dir)), budgetBytes: 1 << 20);
        var bytes = Bytes(3000);
        Write(directory, "_1.cfs", bytes);

        using var slicer = directory.CreateSlicer("_1.cfs", IOContext.DEFAULT);
        using var slice = slicer.OpenSlice("part", 1000, 500);

        Assert.That(slice.Length, Is.EqualTo(500));
        Assert.That(ReadAll(slice), Is.EqualTo(bytes[1000..1500]));
        Assert.Throws<EndOfStreamException>(() => slice.ReadByte());
    }

    [Test]
    public void FilesBeyondTheBudgetAreReadFromDisk()
    {
        using var directory = new ResidentDirectory(new NIOFSDirectory(new DirectoryInfo(_dir)), budgetBytes: 4000);
        var small = Bytes(3000);
        var large = Bytes(2000);
        Write(directory, "_2.doc", small);
        Write(directory, "_3.doc", large);

        using var first = directory.OpenInput("_2.doc", IOContext.DEFAULT);
        using var second = directory.OpenInput("_3.doc", IOContext.DEFAULT);

        Assert.That(ReadAll(first), Is.EqualTo(small));
        Assert.That(ReadAll(second), Is.EqualTo(large));
        Assert.That(first, Is.InstanceOf<MemoryIndexInput>());
        Assert.That(second, Is.Not.InstanceOf<MemoryIndexInput>());
        Assert.That(directory.ResidentBytes, Is.EqualTo(3000));
    }

    [Test]
    public void AFileMissingAtItsFirstOpenIsFoundOnceWritten()
    {
        using var directory = new ResidentDirectory(new NIOFSDirectory(new DirectoryInfo(_dir)), budgetBytes: 1 << 20);
        Assert.Catch<IOException>(() => directory.OpenInput("_4.fdt", IOContext.DEFAULT));

        Write(directory, "_4.fdt", Bytes(10));

        using var input = directory.OpenInput("_4.fdt", IOContext.DEFAULT);
        Assert.That(ReadAll(input), Is.EqualTo(Bytes(10)));
    }

    [Test]
    public void CommitPointsAreAlwaysReadFromDisk()
    {
        using var directory = new ResidentDirectory(new NIOFSDirectory(new DirectoryInfo(_dir)), budgetBytes: 1 << 20);
        Write(directory, "segments_1", Bytes(100));

        using var input = directory.OpenInput("segments_1", IOContext.DEFAULT);

        Assert.That(input, Is.Not.InstanceOf<MemoryIndexInput>());
        Assert.That(directory.ResidentBytes, Is.Zero);
    }

    static ListingDocument Doc(int i, string kind)
    {
        string[] zh = ["潜水泵", "激光熔覆", "燃料电池", "传感器", "轴承", "涂层", "疫苗", "催化剂"];
        string[] ru = ["насос", "лазер", "аккумулятор", "датчик", "подшипник", "покрытие", "вакцина", "катализатор"];
        var texts = new Dictionary<string, LanguageText>();
        if (i % 3 != 1) texts["zh"] = new($"{zh[i % 8]}{zh[(i / 8) % 8]}", $"用于{zh[(i * 5) % 8]}和{zh[(i * 3) % 8]}的{zh[i % 8]}。", []);
        if (i % 3 != 0) texts["ru"] = new($"{ru[i % 8]} и {ru[(i / 8) % 8]}", $"Применение: {ru[(i * 5) % 8]}, {ru[(i * 3) % 8]}.", []);
        return new ListingDocument($"{kind}-{i}", kind, "org", "published", "transport-machinery", 1 + i % 9, "RU", ["licensing"], texts,
            DateTimeOffset.UnixEpoch.AddDays(i)) { Concepts = [$"c-{i % 7}", $"c-{i % 5}"] };
    }

    [Test]
    public async Task MatchesFromMemoryEqualMatchesFromDisk()
    {
        using var disk = LuceneListingIndex.Open(Path.Combine(_dir, "disk"), memoryMB: 0);
        using var memory = LuceneListingIndex.Open(Path.Combine(_dir, "memory"));
        // Several batches make several segments; the deletions and updates leave some behind.
        foreach (var batch in Enumerable.Range(0, 240).Select(i => Doc(i, i % 4 == 0 ? "need" : "offer")).Chunk(40))
        {
            await disk.UpsertAsync(batch);
            await memory.UpsertAsync(batch);
        }
        string[] gone = ["offer-5", "offer-6", "offer-7"];
        ListingDocument[] archived = [Doc(5, "offer") with { Status = "archived" }, Doc(6, "offer") with { Status = "archived" }, Doc(7, "offer") with { Status = "archived" }];
        await disk.UpsertAsync(archived);
        await memory.UpsertAsync(archived);
        var query = new MatchQuery(Doc(3, "need").Texts, [new WeightedConcept("c-3", 1.2), new WeightedConcept("c-1", 1)],
            new ListingFilter { Kind = "offer", Status = "published" }, 500);

        var fromDisk = await disk.MatchAsync(query);
        var fromMemory = await memory.MatchAsync(query);

        // Every candidate, so that nothing is cut at a limit: a batch is written on several threads, so
        // the two indexes have their documents in other orders and other segments (and a merge may drop
        // the archived copies from one before the other, which moves idf): the same listings are found.
        static IEnumerable<string> Found(MatchCandidates c) => c.Hits.Select(h => h.Id).Order(StringComparer.Ordinal);
        Assert.That(fromDisk.Hits, Has.Count.GreaterThan(30));
        Assert.That(Found(fromMemory), Is.EqualTo(Found(fromDisk)));
        Assert.That(fromMemory.Hits.Select(h => h.Id).Intersect(gone), Is.Empty);
        Assert.That(fromMemory.Hits.Select(h => h.Id), Has.All.StartsWith("offer-"));
    }

    [Test]
    public async Task MatchesRunWhileWritesFlushAndMergeSegments()
    {
        using var index = LuceneListingIndex.Open(Path.Combine(_dir, "busy"));
        await index.UpsertAsync(Enumerable.Range(0, 50).Select(i => Doc(i, "offer")).ToList());
        var query = new MatchQuery(Doc(3, "need").Texts, [new WeightedConcept("c-3", 1)], new ListingFilter { Kind = "offer" }, 10);
        using var writing = new CancellationTokenSource();
        using var started = new CountdownEvent(3);

        // Forty small commits make segments that Lucene merges and deletes while the readers run.
        var writer = Task.Run(async () =>
        {
            started.Wait(TimeSpan.FromSeconds(30));
            for (var batch = 0; batch < 40; batch++)
            {
                await index.UpsertAsync(Enumerable.Range(50 + batch * 10, 10).Select(i => Doc(i, "offer")).ToList());
                await index.UpsertAsync([Doc(batch * 10 + 50, "offer") with { Status = "archived" }]);
            }
            writing.Cancel();
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var matches = 0;
            while (!writing.IsCancellationRequested)
            {
                var result = await index.MatchAsync(query);
                Assert.That(result.Hits, Is.Not.Empty);
                if (matches++ == 0) started.Signal();
            }
            return matches;
        })).ToList();

        await writer;
        var counts = await Task.WhenAll(readers);

        Assert.That(counts.Sum(), Is.GreaterThan(3), "matches ran while the writer committed");
        Assert.That(await index.CountAsync(), Is.EqualTo(50 + 400));
    }

    [Test]
    public async Task AnIndexWrittenInAnotherFormatIsRebuiltAndOneInThisFormatIsKept()
    {
        var path = Path.Combine(_dir, "format");
        using (var index = LuceneListingIndex.Open(path))
        {
            Assert.That(await index.NeedsRebuildAsync(), Is.True, "a new index is built from the database");
            await index.UpsertAsync([Doc(1, "offer"), Doc(2, "offer")]);
        }
        using (var index = LuceneListingIndex.Open(path))
        {
            Assert.That(await index.NeedsRebuildAsync(), Is.False);
            Assert.That(await index.CountAsync(), Is.EqualTo(2));
        }

        // What an older release would have left: the same index, another format in its commit.
        using (var directory = FSDirectory.Open(path))
        using (var writer = new Lucene.Net.Index.IndexWriter(directory,
                   new Lucene.Net.Index.IndexWriterConfig(ListingAnalyzers.Version, new Lucene.Net.Analysis.Core.KeywordAnalyzer())))
        {
            writer.SetCommitData(new Dictionary<string, string> { [IndexFormat.Key] = (IndexFormat.Version - 1).ToString() });
            writer.Commit();
        }

        using (var index = LuceneListingIndex.Open(path))
        {
            Assert.That(await index.NeedsRebuildAsync(), Is.True);
            Assert.That(await index.CountAsync(), Is.Zero);
        }
    }
}
