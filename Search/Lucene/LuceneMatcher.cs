using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The match query of the embedded engine: a more-like-this query per language built from the
/// source's most salient terms (tf x idf against this index), plus the source's concepts.
/// </summary>
sealed class LuceneMatcher(TextAnalysis analysis)
{
    public MatchCandidates Match(IndexSearcher searcher, MatchQuery query, Filter filter)
    {
        var terms = new TermLookup(searcher);
        // Candidates come from one flat disjunction of every term and concept: it scores the same as
        // the parts nested (BM25 has no coord or query norm) and is searched once; each clause knows its
        // part, so the same pass gives each candidate's score per part (PartScorer).
        var either = new ClauseWeightsQuery();
        // One text query per language, each normalized by its own bound: a candidate usually shares
        // one language with the source, and must not be judged against the terms of the other.
        var texts = new List<(List<int> Clauses, double Max)>();
        var queryTerms = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (language, source) in query.Texts)
        {
            var field = ListingFields.Text(ListingFields.All, language);
            var selected = SalientTerms(terms, field, analysis.Tokens(language, MatchTerms.WeightedText(source)));
            if (selected.Count == 0) continue;
            var part = new List<int>();
            foreach (var (term, _) in selected) part.Add(Add(either, terms.Query(field, term)));
            // A candidate holding every term once, at average length, scores sum(idf): that is "all of it".
            texts.Add((part, selected.Sum(s => s.Idf)));
            queryTerms[language] = selected.Select(s => s.Term).ToList();
        }

        // The source's words translated into the candidates' language: each word one group, scored as
        // its best translation (a disjunction-max), so a word with five renderings counts once.
        var translated = new List<(List<int> Clauses, double Max)>();
        var queryGroups = new Dictionary<string, IReadOnlyList<TermGroup>>();
        foreach (var (language, groups) in query.Translations ?? new Dictionary<string, IReadOnlyList<TermGroup>>())
        {
            var field = ListingFields.Text(ListingFields.All, language);
            var chosen = MatchTerms.Groups(groups.Select(g => (g, (IReadOnlyList<MatchTerms.Alternative>)g.Alternatives.Select(text =>
            {
                var tokens = AlternativeTokens(language, text);
                return new MatchTerms.Alternative(text, tokens, tokens.Select(t => terms.DocFreq(field, t)).ToList());
            }).ToList())), terms.Docs);
            if (chosen.Count == 0) continue;
            var part = new List<int>();
            foreach (var group in chosen)
            {
                var best = new DisjunctionMaxQuery(0f) { Boost = (float)group.Group.Weight };
                foreach (var (alternative, _) in group.Alternatives) best.Add(Conjunction(terms, field, alternative.Terms));
                part.Add(Add(either, best));
            }
            translated.Add((part, chosen.Sum(g => g.Max)));
            queryGroups[language] = chosen.Select(g => g.Group with { Alternatives = g.Alternatives.Select(a => a.Alternative.Text).ToList() }).ToList();
        }

        var concepts = new List<int>();
        var conceptMax = 0.0;
        foreach (var (concept, weight, idf) in MatchTerms.Concepts(
                     query.Concepts.Select(c => (c, terms.DocFreq(ListingFields.Concept, c.Id))), terms.Docs))
        {
            concepts.Add(Add(either, terms.Query(ListingFields.Concept, concept).WithBoost((float)weight * MatchTerms.ConceptBoost)));
            // As for text: a candidate naming the concept once, at average length, scores weight x idf.
            conceptMax += weight * idf;
        }
        if (either.Clauses.Count == 0) return new MatchCandidates([], queryTerms, queryGroups);

        // Each clause belongs to one part: a text language, a translated language, or the concepts.
        var partOf = new int[either.Clauses.Count];
        var parts = new List<(List<int> Clauses, double Max)>();
        foreach (var part in texts.Concat(translated).Append((Clauses: concepts, Max: conceptMax)))
        {
            foreach (var clause in part.Clauses) partOf[clause] = parts.Count;
            parts.Add(part);
        }
        var found = searcher.CreateNormalizedWeight(either);
        // A query with one clause is rewritten to it: its weight is that clause's.
        IList<Weight> clauses = found is ClauseWeightsQuery.Weights all ? all.Clauses : [found];
        var top = PartScorer.Top(searcher, clauses, partOf, parts.Count, filter, Math.Max(1, query.Candidates));
        if (top.Count == 0) return new MatchCandidates([], queryTerms, queryGroups);

        var conceptPart = parts.Count - 1;
        var hits = top.Select(d => new MatchHit(
                searcher.Doc(d.Doc).Get(ListingFields.Id),
                Best(d.Parts, 0, texts.Count),
                // In the candidate query a concept weighs ConceptBoost times its own weight; BM25 scores are linear in the boost.
                conceptMax > 0 ? Math.Min(1, d.Parts[conceptPart] / MatchTerms.ConceptBoost / conceptMax) : 0,
                Best(d.Parts, texts.Count, translated.Count)))
            .ToList();
        return new MatchCandidates(hits, queryTerms, queryGroups);

        // The best language: a candidate is judged against the terms of the language it shares.
        double Best(double[] scores, int first, int count) =>
            Enumerable.Range(first, count).Select(i => Math.Min(1, scores[i] / parts[i].Max)).DefaultIfEmpty(0).Max();
    }
    /// <summary>
    /// Translations come from the lexicon, a few tens of thousands of texts: each is analysed once,
    /// not once per match (analysis was a tenth of a match's time).
    /// </summary>
    IReadOnlyList<string> AlternativeTokens(string language, string text) =>
        _alternatives.Get((language, text), key => analysis.Tokens(key.Language, key.Text).Distinct().ToArray());

    readonly BoundedMemo<(string Language, string Text), IReadOnlyList<string>> _alternatives = new(200_000);

    /// <summary>Adds a clause to the candidate query; returns its position.</summary>
    static int Add(BooleanQuery either, Query clause)
    {
        either.Add(clause, Occur.SHOULD);
        return either.Clauses.Count - 1;
    }

    /// <summary>All of the terms (a translation of several words); one term is just its term query.</summary>
    static Query Conjunction(TermLookup terms, string field, IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 1) return terms.Query(field, tokens[0]);
        var all = new BooleanQuery();
        foreach (var token in tokens) all.Add(terms.Query(field, token), Occur.MUST);
        return all;
    }

    /// <summary>The source's salient terms in one language, with their document frequencies in this index.</summary>
    static List<(string Term, double Idf)> SalientTerms(TermLookup terms, string field, IReadOnlyList<string> tokens)
    {
        var tf = tokens.GroupBy(t => t).Select(g => (Term: g.Key, Tf: (double)g.Count()));
        return MatchTerms.Salient(tf.Select(t => (t.Term, t.Tf, terms.DocFreq(field, t.Term))), terms.Docs);
    }

    /// <summary>
    /// Each term is looked up in the term dictionaries of every segment once per searcher: the
    /// statistics for choosing terms and the weights of the candidate and re-scoring queries all
    /// share that lookup, and so do later matches until a write opens a new searcher (seeking every
    /// term three times per match was half its cost at 10,000 listings).
    /// </summary>
    sealed class TermLookup(IndexSearcher searcher)
    {
        /// <summary>Terms remembered per searcher; beyond this, lookups are made but not kept.</summary>
        const int Capacity = 200_000;
        static readonly ConditionalWeakTable<IndexSearcher, BoundedMemo<Term, TermContext>> PerSearcher = new();
        readonly BoundedMemo<Term, TermContext> _contexts = PerSearcher.GetValue(searcher, _ => new(Capacity));

        public int Docs { get; } = Math.Max(1, searcher.IndexReader.MaxDoc);

        public long DocFreq(string field, string text) => Context(new Term(field, text)).DocFreq;

        public TermQuery Query(string field, string text)
        {
            var term = new Term(field, text);
            return new TermQuery(term, Context(term));
        }

        TermContext Context(Term term) => _contexts.Get(term, t => TermContext.Build(searcher.TopReaderContext, t));
    }
}

/// <summary>
/// A disjunction whose weight shows the weights of its clauses, in the order of the clauses: the
/// candidates are scored clause by clause with these weights (<see cref="PartScorer"/>), the
/// weights made once for the whole query.
/// </summary>
sealed class ClauseWeightsQuery : BooleanQuery
{
    public override Weight CreateWeight(IndexSearcher searcher) => new Weights(this, searcher);

    public sealed class Weights(BooleanQuery query, IndexSearcher searcher) : BooleanWeight(query, searcher, query.CoordDisabled)
    {
        public IList<Weight> Clauses => m_weights;
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
