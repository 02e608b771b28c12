using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The embedded engine: one on-disk Lucene index, one <see cref="IndexWriter"/> and one
/// <see cref="SearcherManager"/> per process. Every write commits and refreshes before it returns,
/// so a listing is searchable before its API call answers.
/// </summary>
public sealed class LuceneListingIndex : IListingIndex
{
    // BM25 with Lucene's usual constants; the same similarity at index and search time.
    static readonly Similarity Bm25 = new BM25Similarity(1.2f, 0.75f);

    readonly LuceneDirectory _directory;
    readonly Analyzer _analyzer;
    readonly IndexWriter _writer;
    readonly SearcherManager _searchers;
    readonly LuceneQueryBuilder _queries;
    readonly LuceneMatcher _matcher = new();
    readonly FilterCache _filters = new();
    // Async-friendly: a rebuild awaits the database while it holds the writer.
    readonly SemaphoreSlim _writeLock = new(1, 1);

    public bool NeedsRebuild { get; }

    /// <summary>What every commit records and a reopened index must hold (<see cref="IndexFormat"/>).</summary>
    static readonly string Format = IndexFormat.Version.ToString(CultureInfo.InvariantCulture);

    /// <summary>How much of the index is read from memory unless the host says otherwise (the index of 100,000 listings takes about 22 MB).</summary>
    public const int DefaultMemoryMB = 512;

    public LuceneListingIndex(string path, int memoryMB = DefaultMemoryMB)
    {
        System.IO.Directory.CreateDirectory(path);
        // NIOFSDirectory, not FSDirectory.Open: MMapDirectory crashes on Linux (apache/lucenenet#1013).
        var disk = new NIOFSDirectory(new DirectoryInfo(path));
        _analyzer = ListingAnalyzers.PerField();
        _queries = new LuceneQueryBuilder();

        // Checked on disk, before anything is kept in memory: a damaged index is wiped and rebuilt.
        NeedsRebuild = !IsUsable(disk);
        if (NeedsRebuild) Wipe(path);
        _directory = new ResidentDirectory(disk, memoryMB * 1024L * 1024L);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(ListingAnalyzers.Version, _analyzer)
        {
            Similarity = Bm25,
            OpenMode = NeedsRebuild ? OpenMode.CREATE : OpenMode.CREATE_OR_APPEND,
            // Fewer, larger segment flushes during bulk imports; memory stays far below the 600 MB budget.
            RAMBufferSizeMB = 64,
        });
        // Kept in every later commit's user data: the format this index was written in.
        _writer.SetCommitData(new Dictionary<string, string> { [IndexFormat.Key] = Format });
        if (NeedsRebuild) _writer.Commit();
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new Bm25SearcherFactory());
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

    public async Task UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var searcher = _searchers.Acquire();
            try
            {
                // Even a first version may arrive after its update (two requests racing), so every
                // document checks what the index holds. (Analysing a batch on several threads was
                // measured slower: the bulk path already overlaps indexing with parsing and storing.)
                foreach (var doc in documents.GroupBy(d => d.Id).Select(g => g.MaxBy(d => d.Version)!))
                {
                    if (IndexedVersion(searcher, doc.Id) > doc.Version) continue;
                    _writer.UpdateDocument(new Term(ListingFields.Id, doc.Id), LuceneDocuments.From(doc));
                }
            }
            finally
            {
                _searchers.Release(searcher);
            }
            CommitAndRefresh();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The version of the document the last refresh holds; writes are serialized and refresh, so it is current.</summary>
    static long IndexedVersion(IndexSearcher searcher, string id)
    {
        var hits = searcher.Search(new TermQuery(new Term(ListingFields.Id, id)), 1);
        return hits.TotalHits == 0 ? -1 : searcher.Doc(hits.ScoreDocs[0].Doc).GetField(ListingFields.Version)?.GetInt64Value() ?? -1;
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer.DeleteDocuments(ids.Select(id => new Term(ListingFields.Id, id)).ToArray());
            CommitAndRefresh();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<long> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        long count = 0;
        // Readers keep the old snapshot until the commit below, so searches go on during a rebuild.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer.DeleteAll();
            await foreach (var doc in documents.WithCancellation(cancellationToken))
            {
                _writer.AddDocument(LuceneDocuments.From(doc));
                count++;
            }
            CommitAndRefresh();
        }
        catch
        {
            _writer.Rollback();
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
        return count;
    }

    void CommitAndRefresh()
    {
        _writer.Commit();
        _searchers.MaybeRefreshBlocking();
    }

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return Task.FromResult(Search(searcher, query));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    SearchResult Search(IndexSearcher searcher, SearchQuery query)
    {
        var filter = _queries.Filter(query.Filter);
        Query scored;
        if (string.IsNullOrWhiteSpace(query.Text))
            scored = new ConstantScoreQuery(filter);
        else
        {
            var text = _queries.FullText(query.Text);
            if (text is null) return new SearchResult([], 0, query.WithFacets ? FacetCollector.Empty : null);
            scored = new FilteredQuery(text, _filters.For(filter));
        }

        var window = Math.Max(1, query.Offset + query.Limit);
        ITopDocsCollector top = string.IsNullOrWhiteSpace(query.Text)
            ? TopFieldCollector.Create(new Sort(new SortField(ListingFields.DocValues(ListingFields.Updated), SortFieldType.INT64, true)),
                window, fillFields: false, trackDocScores: false, trackMaxScore: false, docsScoredInOrder: false)
            : TopScoreDocCollector.Create(window, docsScoredInOrder: false);
        var facets = query.WithFacets ? new FacetCollector() : null;
        searcher.Search(scored, facets is null ? (ICollector)top : MultiCollector.Wrap(top, facets));

        var docs = top.GetTopDocs(query.Offset, query.Limit);
        var hits = docs.ScoreDocs
            .Select(sd => new SearchHit(searcher.Doc(sd.Doc).Get(ListingFields.Id), float.IsNaN(sd.Score) ? 0f : sd.Score))
            .ToList();
        return new SearchResult(hits, top.TotalHits, facets?.Result());
    }

    public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken cancellationToken = default)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return Task.FromResult(_matcher.Match(searcher, query, _filters.For(_queries.Filter(query.Filter))));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
        CancellationToken cancellationToken = default)
    {
        var query = _queries.Mentions(conceptId, phrases);
        var searcher = _searchers.Acquire();
        try
        {
            var count = Math.Max(1, searcher.IndexReader.MaxDoc);
            var ids = searcher.Search(query, count).ScoreDocs.Select(d => searcher.Doc(d.Doc).Get(ListingFields.Id)).ToList();
            return Task.FromResult<IReadOnlyList<string>>(ids);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return Task.FromResult((long)searcher.IndexReader.NumDocs);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public void Dispose()
    {
        _searchers.Dispose();
        _writer.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
        _writeLock.Dispose();
    }

    sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Bm25 };
    }
}
