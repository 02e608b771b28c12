using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Marketplace.Search.Lucene;

// Opening (a damaged or foreign index wiped for a rebuild), reopening the writer after a failure, closing.
public sealed partial class LuceneListingIndex
{
    /// <summary>Opens (or creates) the index in <paramref name="path"/>; a folder that cannot be used is named in one sentence.</summary>
    public static LuceneListingIndex Open(string path, int memoryMB = DefaultMemoryMB)
    {
        try
        {
            return new LuceneListingIndex(path, memoryMB);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LockObtainFailedException)
        {
            throw new SearchEngineUnavailableException($"The search index at '{path}' cannot be opened: {e.Message}", e);
        }
    }

    LuceneListingIndex(string path, int memoryMB)
    {
        System.IO.Directory.CreateDirectory(path);
        // NIOFSDirectory, not FSDirectory.Open: MMapDirectory crashes on Linux (apache/lucenenet#1013).
        var disk = new NIOFSDirectory(new DirectoryInfo(path));
        _analyzer = ListingAnalyzers.PerField();
        _queries = new LuceneQueryBuilder(_analysis);
        _matcher = new LuceneMatcher(_analysis);

        // Checked on disk, before anything is kept in memory: a damaged index is wiped and rebuilt.
        _needsRebuild = !IsUsable(disk);
        if (_needsRebuild) Wipe(path);
        _directory = new ResidentDirectory(disk, memoryMB * 1024L * 1024L);
        _live = OpenLive(_needsRebuild ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND);
    }

    Live OpenLive(OpenMode mode)
    {
        var writer = new IndexWriter(_directory, new IndexWriterConfig(ListingAnalyzers.Version, _analyzer)
        {
            Similarity = Bm25,
            OpenMode = mode,
            // Fewer, larger segment flushes during bulk imports; memory stays far below the 600 MB budget.
            RAMBufferSizeMB = 64,
        });
        // Kept in every later commit's user data: the format this index was written in.
        writer.SetCommitData(new Dictionary<string, string> { [IndexFormat.Key] = Format });
        if (mode == OpenMode.CREATE) writer.Commit();
        return new Live(writer, new SearcherManager(writer, applyAllDeletes: true, new Bm25SearcherFactory()));
    }

    /// <summary>
    /// Drops what the writer holds since its last commit and opens a new writer on the same files
    /// (call with the write lock held). Searches in flight finish on the searcher they hold.
    /// </summary>
    void Reopen()
    {
        var old = _live;
        try
        {
            old.Writer.Rollback(); // closes the writer and releases the write lock
        }
        catch (ObjectDisposedException)
        {
            // Closed already (by a failure inside Lucene), which released the lock: nothing to roll back.
        }
        _live = OpenLive(OpenMode.CREATE_OR_APPEND);
        old.Searchers.Dispose();
    }

    static bool IsUsable(LuceneDirectory directory)
    {
        try
        {
            if (!DirectoryReader.IndexExists(directory)) return false;
            using var reader = DirectoryReader.Open(directory);
            // An index written in another format holds stale fields or concepts: rebuilt, not read.
            if (!reader.IndexCommit.UserData.TryGetValue(IndexFormat.Key, out var format)
                || format != Format) return false;
            // Touch every segment so a truncated or damaged file is found now, not at the first query.
            foreach (var leaf in reader.Leaves) _ = leaf.AtomicReader.Fields;
            return true;
        }
        catch (Exception e) when (e is IOException or CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException)
        {
            return false;
        }
    }

    static void Wipe(string path)
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(path)) File.Delete(file);
    }

    public Task<bool> NeedsRebuildAsync(CancellationToken cancellationToken = default) => Task.FromResult(_needsRebuild);

    public void Dispose()
    {
        // A write or rebuild still running as the host stops ends first (a rebuild is cancelled and rolls
        // back): the writer closes on a commit, never on half a rebuild.
        _writeLock.Wait(TimeSpan.FromSeconds(30));
        _live.Searchers.Dispose();
        _live.Writer.Dispose();
        _analyzer.Dispose();
        _analysis.Dispose();
        _directory.Dispose();
        _writeLock.Dispose();
    }

    sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new StatisticsCachingSearcher(reader) { Similarity = Bm25 };
    }

    /// <summary>
    /// A searcher that works out each field's collection statistics once: Lucene merges every
    /// segment's term dictionary for them each time a term weight is made, a few hundred times
    /// per match. The reader never changes under a searcher, so neither do they.
    /// </summary>
    sealed class StatisticsCachingSearcher(IndexReader reader) : IndexSearcher(reader)
    {
        readonly System.Collections.Concurrent.ConcurrentDictionary<string, CollectionStatistics> _statistics = new();

        public override CollectionStatistics CollectionStatistics(string field) =>
            _statistics.GetOrAdd(field, f => base.CollectionStatistics(f));
    }
}
