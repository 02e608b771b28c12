using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The match query of the embedded engine: a more-like-this query per language built from the
/// source's most salient terms (tf x idf against this index), plus the source's concepts.
/// </summary>
sealed class LuceneMatcher
{
    readonly Dictionary<string, Analyzer> _analyzers = Languages.All.ToDictionary(l => l, ListingAnalyzers.For);

    public MatchCandidates Match(IndexSearcher searcher, MatchQuery query, Query filter)
    {
        var reader = searcher.IndexReader;
        var docs = Math.Max(1, reader.MaxDoc);
        // One text query per language, each normalized by its own bound: a candidate usually shares
        // one language with the source, and must not be judged against the terms of the other.
        var texts = new List<(BooleanQuery Query, double Max)>();
        var queryTerms = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (language, source) in query.Texts)
        {
            var field = ListingFields.Text(ListingFields.All, language);
            var selected = SalientTerms(reader, docs, field, _analyzers[language], source);
            if (selected.Count == 0) continue;
            var part = new BooleanQuery();
            foreach (var (term, _) in selected) part.Add(new TermQuery(new Term(field, term)), Occur.SHOULD);
            // A candidate holding every term once, at average length, scores sum(idf): that is "all of it".
            texts.Add((part, selected.Sum(s => s.Idf)));
            queryTerms[language] = selected.Select(s => s.Term).ToList();
        }

        var concepts = new BooleanQuery();
        var conceptMax = 0.0;
        foreach (var (concept, weight, idf) in MatchTerms.Concepts(
                     query.Concepts.Select(c => (c, (long)reader.DocFreq(new Term(ListingFields.Concept, c.Id)))), docs))
        {
            concepts.Add(new TermQuery(new Term(ListingFields.Concept, concept)) { Boost = (float)weight }, Occur.SHOULD);
            // As for text: a candidate naming the concept once, at average length, scores weight x idf.
            conceptMax += weight * idf;
        }
        if (texts.Count == 0 && concepts.Clauses.Count == 0) return new MatchCandidates([], queryTerms);

        var either = new BooleanQuery();
        foreach (var (part, _) in texts) either.Add(part, Occur.SHOULD);
        if (concepts.Clauses.Count > 0) either.Add(new BooleanQuery { { concepts, Occur.SHOULD } }.WithBoost(MatchTerms.ConceptBoost), Occur.SHOULD);
        var filterQuery = new QueryWrapperFilter(filter);
        var top = searcher.Search(new FilteredQuery(either, filterQuery), Math.Max(1, query.Candidates));
        if (top.ScoreDocs.Length == 0) return new MatchCandidates([], queryTerms);

        // Score the chosen candidates on each part alone, so both components are known for each.
        var only = new DocIdsFilter(top.ScoreDocs.Select(d => d.Doc));
        var textScores = texts.Select(t => (Scores: ScoresOf(searcher, t.Query, only, top.ScoreDocs.Length), t.Max)).ToList();
        var conceptScores = ScoresOf(searcher, concepts, only, top.ScoreDocs.Length);
        var hits = top.ScoreDocs.Select(d => new MatchHit(
                searcher.Doc(d.Doc).Get(ListingFields.Id),
                textScores.Select(t => Math.Min(1, t.Scores.GetValueOrDefault(d.Doc) / t.Max)).DefaultIfEmpty(0).Max(),
                conceptMax > 0 ? Math.Min(1, conceptScores.GetValueOrDefault(d.Doc) / conceptMax) : 0))
            .ToList();
        return new MatchCandidates(hits, queryTerms);
    }

    /// <summary>The source's salient terms in one language, with their document frequencies in this index.</summary>
    static List<(string Term, double Idf)> SalientTerms(IndexReader reader, int docs, string field, Analyzer analyzer, LanguageText source)
    {
        var tf = ListingAnalyzers.Tokens(analyzer, field, MatchTerms.WeightedText(source))
            .GroupBy(t => t).Select(g => (Term: g.Key, Tf: (double)g.Count()));
        return MatchTerms.Salient(tf.Select(t => (t.Term, t.Tf, (long)reader.DocFreq(new Term(field, t.Term)))), docs);
    }

    static Dictionary<int, double> ScoresOf(IndexSearcher searcher, BooleanQuery part, Filter only, int count)
    {
        if (part.Clauses.Count == 0) return [];
        return searcher.Search(new FilteredQuery(part, only), count).ScoreDocs.ToDictionary(d => d.Doc, d => (double)d.Score);
    }

    /// <summary>Admits exactly the given top-level document numbers of the current searcher.</summary>
    sealed class DocIdsFilter(IEnumerable<int> docs) : Filter
    {
        readonly int[] _docs = docs.Order().ToArray();

        public override DocIdSet GetDocIdSet(AtomicReaderContext context, IBits acceptDocs)
        {
            var bits = new FixedBitSet(context.AtomicReader.MaxDoc);
            foreach (var doc in _docs)
            {
                var local = doc - context.DocBase;
                if (local >= 0 && local < bits.Length) bits.Set(local);
            }
            return BitsFilteredDocIdSet.Wrap(bits, acceptDocs);
        }
    }
}

static class QueryExtensions
{
    public static T WithBoost<T>(this T query, float boost) where T : Query
    {
        query.Boost = boost;
        return query;
    }
}
