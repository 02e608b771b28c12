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
    // Notes on cost: Lucene 4.8 scores a disjunction clause by clause, so keep it small (25 terms a language).
    const int TermsPerLanguage = 25;
    const int MaxConcepts = 40;
    // Concepts are fewer than words and each says more; this boost lets a shared concept weigh in
    // candidate selection like two matched words.
    const float ConceptBoost = 2f;

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
        foreach (var (concept, weight, idf) in query.Concepts
                     .Select(c => (c.Id, c.Weight, Df: reader.DocFreq(new Term(ListingFields.Concept, c.Id))))
                     .Where(c => c.Df > 0 && c.Weight > 0)
                     .Select(c => (c.Id, c.Weight, Idf: Idf(c.Df, docs)))
                     .OrderByDescending(c => c.Weight * c.Idf).Take(MaxConcepts))
        {
            concepts.Add(new TermQuery(new Term(ListingFields.Concept, concept)) { Boost = (float)weight }, Occur.SHOULD);
            // As for text: a candidate naming the concept once, at average length, scores weight x idf.
            conceptMax += weight * idf;
        }
        if (texts.Count == 0 && concepts.Clauses.Count == 0) return new MatchCandidates([], queryTerms);

        var either = new BooleanQuery();
        foreach (var (part, _) in texts) either.Add(part, Occur.SHOULD);
        if (concepts.Clauses.Count > 0) either.Add(new BooleanQuery { { concepts, Occur.SHOULD } }.WithBoost(ConceptBoost), Occur.SHOULD);
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

    /// <summary>Terms of the source by tf x idf; a title or keyword occurrence counts twice, since it names the technology.</summary>
    static List<(string Term, double Idf)> SalientTerms(IndexReader reader, int docs, string field, Analyzer analyzer, LanguageText source)
    {
        var tf = new Dictionary<string, double>();
        void Count(string text, double weight)
        {
            foreach (var token in ListingAnalyzers.Tokens(analyzer, field, text))
                tf[token] = tf.GetValueOrDefault(token) + weight;
        }
        Count(source.Title, 2);
        foreach (var keyword in source.Keywords) Count(keyword, 2);
        Count(source.Description, 1);
        return tf
            .Select(kv => (Term: kv.Key, Tf: kv.Value, Df: reader.DocFreq(new Term(field, kv.Key))))
            .Where(t => t.Df > 0)
            .Select(t => (t.Term, Idf: Idf(t.Df, docs), Weight: Math.Sqrt(t.Tf) * Idf(t.Df, docs)))
            .OrderByDescending(t => t.Weight).ThenBy(t => t.Term, StringComparer.Ordinal)
            .Take(TermsPerLanguage)
            .Select(t => (t.Term, t.Idf))
            .ToList();
    }

    /// <summary>Lucene 4.8's BM25 idf.</summary>
    static double Idf(int docFreq, int docs) => Math.Log(1 + (docs - docFreq + 0.5) / (docFreq + 0.5));

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
