using System.Globalization;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The embedded engine: one on-disk Lucene index, one <see cref="IndexWriter"/> and one
/// <see cref="SearcherManager"/> per process. Every write commits and refreshes before it returns,
/// so a listing is searchable before its API call answers. A write or rebuild that fails leaves
/// the index as of its last commit and the engine working: the writer is rolled back and a new
/// one opened on the same files.
/// </summary>
public sealed partial class LuceneListingIndex : IListingIndex
{
    // BM25 with Lucene's usual constants; the same similarity at index and search time.
    static readonly Similarity Bm25 = new BM25Similarity(1.2f, 0.75f);

    readonly LuceneDirectory _directory;
    readonly Analyzer _analyzer;
    readonly TextAnalysis _analysis = new();
    readonly LuceneQueryBuilder _queries;
    readonly LuceneMatcher _matcher;
    readonly FilterCache _filters = new();
    // Async-friendly: a rebuild awaits the database while it holds the writer.
    readonly SemaphoreSlim _writeLock = new(1, 1);
    volatile Live _live;
    volatile bool _needsRebuild;

    /// <summary>The writer and the searchers it feeds; replaced together when the writer has to be reopened.</summary>
    sealed record Live(IndexWriter Writer, SearcherManager Searchers);

    /// <summary>What every commit records and a reopened index must hold (<see cref="IndexFormat"/>).</summary>
    static readonly string Format = IndexFormat.Version.ToString(CultureInfo.InvariantCulture);

    /// <summary>How much of the index is read from memory unless the host says otherwise (the index of 100,000 listings takes about 22 MB).</summary>
    public const int DefaultMemoryMB = 512;

    public async Task<IndexWrite> UpsertAsync(IReadOnlyCollection<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        if (documents.Count == 0) return IndexWrite.Nothing;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            try
            {
                return Write(_live, documents);
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                // The writer is closed or a flush failed: roll back to the last commit, reopen, and try once more.
                try
                {
                    Reopen();
                    return Write(_live, documents);
                }
                catch (Exception again) when (again is ObjectDisposedException or IOException or LockObtainFailedException)
                {
                    throw new SearchEngineUnavailableException($"The embedded search index cannot take writes: {again.Message}", again);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Writes the documents and commits. Even a first version may arrive after its update (two
    /// requests racing), so every document checks what the index holds. A document Lucene refuses
    /// (an argument it cannot index) is reported, and its older copy removed, so that the index
    /// holds each listing's current version or nothing. Documents are analysed on every core (Lucene's
    /// writer takes them from several threads): analysis of long Chinese text is most of indexing,
    /// and one thread left the second core idle while a bulk import waited for it.
    /// </summary>
    static IndexWrite Write(Live live, IReadOnlyCollection<ListingDocument> documents)
    {
        var refused = new System.Collections.Concurrent.ConcurrentBag<RefusedDocument>();
        long indexed = 0;
        var searcher = live.Searchers.Acquire();
        try
        {
            var latest = documents.GroupBy(d => d.Id).Select(g => g.MaxBy(d => d.Version)!).ToList();
            InParallel(latest, doc =>
            {
                Interlocked.Increment(ref indexed);
                if (IndexedVersion(searcher, doc.Id) > doc.Version) return;
                var id = new Term(ListingFields.Id, doc.Id);
                try
                {
                    live.Writer.UpdateDocument(id, LuceneDocuments.From(doc));
                }
                catch (Exception e) when (IsDocumentFault(e))
                {
                    Interlocked.Decrement(ref indexed);
                    refused.Add(new RefusedDocument(doc.Id, e.Message));
                    live.Writer.DeleteDocuments(id);
                }
            });
        }
        finally
        {
            live.Searchers.Release(searcher);
        }
        live.Writer.Commit();
        live.Searchers.MaybeRefreshBlocking();
        return new IndexWrite(indexed, [.. refused]);
    }

    /// <summary>Runs the action on every item, on every core; a failure is rethrown as itself, not wrapped.</summary>
    static void InParallel<T>(IReadOnlyList<T> items, Action<T> action)
    {
        try
        {
            Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, action);
        }
        catch (AggregateException e)
        {
            // Out of memory first, then the writer's own failures (rolled back and reopened by the caller), then the rest.
            var first = e.InnerExceptions.FirstOrDefault(x => x is OutOfMemoryException)
                        ?? e.InnerExceptions.FirstOrDefault(x => x is IOException or ObjectDisposedException)
                        ?? e.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }
    }

    /// <summary>
    /// An exception of this document's making (an immense term, an analyzer tripping over its text):
    /// Lucene drops the document and the writer goes on. Failures of the writer itself (I/O, closed,
    /// out of memory) are not, and fail the whole write.
    /// </summary>
    static bool IsDocumentFault(Exception e) =>
        e is not (IOException or ObjectDisposedException or OutOfMemoryException or OperationCanceledException);

    /// <summary>The version of the document the last refresh holds; writes are serialized and refresh, so it is current.</summary>
    static long IndexedVersion(IndexSearcher searcher, string id)
    {
        var hits = searcher.Search(new TermQuery(new Term(ListingFields.Id, id)), 1);
        return hits.TotalHits == 0 ? -1 : searcher.Doc(hits.ScoreDocs[0].Doc).GetField(ListingFields.Version)?.GetInt64Value() ?? -1;
    }

    public async Task<IndexWrite> RebuildAsync(IAsyncEnumerable<ListingDocument> documents, CancellationToken cancellationToken = default)
    {
        var refused = new List<RefusedDocument>();
        long count = 0;
        // Readers keep the old snapshot until the commit below, so searches go on during a rebuild.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var live = _live;
            live.Writer.DeleteAll();
            await foreach (var doc in documents.WithCancellation(cancellationToken))
            {
                try
                {
                    live.Writer.AddDocument(LuceneDocuments.From(doc));
                    count++;
                }
                catch (Exception e) when (IsDocumentFault(e))
                {
                    refused.Add(new RefusedDocument(doc.Id, e.Message));
                }
            }
            live.Writer.Commit();
            live.Searchers.MaybeRefreshBlocking();
            _needsRebuild = false;
            return new IndexWrite(count, refused);
        }
        catch (Exception failure)
        {
            // Failed or cancelled half way: back to the last commit (the old index), with a new writer.
            try
            {
                Reopen();
            }
            catch (Exception reopen) when (reopen is IOException or LockObtainFailedException)
            {
                throw new SearchEngineUnavailableException($"The embedded search index could not be reopened after a failed rebuild: {reopen.Message}",
                    new AggregateException(failure, reopen));
            }
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="read"/> on the current searcher; a searcher retired by a reopen meanwhile is replaced.</summary>
    T Read<T>(Func<IndexSearcher, T> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            var live = _live;
            IndexSearcher searcher;
            try
            {
                searcher = live.Searchers.Acquire();
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                continue;
            }
            try
            {
                return read(searcher);
            }
            finally
            {
                live.Searchers.Release(searcher);
            }
        }
    }

    public Task<SearchResult> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(searcher => Search(searcher, query)));

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

    public Task<MatchCandidates> MatchAsync(MatchQuery query, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(searcher => _matcher.Match(searcher, query, _filters.For(_queries.Filter(query.Filter)))));

    public Task<IReadOnlyList<string>> FindMentionsAsync(string conceptId, IReadOnlyDictionary<string, IReadOnlyList<string>> phrases,
        CancellationToken cancellationToken = default)
    {
        var query = _queries.Mentions(conceptId, phrases);
        return Task.FromResult(Read<IReadOnlyList<string>>(searcher =>
            searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc)).ScoreDocs
                .Select(d => searcher.Doc(d.Doc).Get(ListingFields.Id)).ToList()));
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(searcher => (long)searcher.IndexReader.NumDocs));
}
