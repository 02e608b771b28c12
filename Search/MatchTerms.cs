namespace Marketplace.Search;

/// <summary>
/// What both engines do alike when they build a match query: pick the source's salient terms and
/// weigh concepts, so that the embedded and the scale-out engine rank alike.
/// </summary>
public static class MatchTerms
{
    /// <summary>Lucene 4.8 scores a disjunction clause by clause: 25 terms a language keep a match query cheap.</summary>
    public const int TermsPerLanguage = 25;
    public const int MaxConcepts = 40;
    /// <summary>Concepts are fewer than words and each says more: in candidate selection a shared concept weighs like two words.</summary>
    public const float ConceptBoost = 2f;
    /// <summary>Title and keywords name the technology: their words count twice.</summary>
    public const int TitleWeight = 2;

    /// <summary>BM25's idf, the same formula in Lucene 4.8 and in the Lucene inside Elasticsearch.</summary>
    public static double Idf(long docFreq, long docCount) => Math.Log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5));

    /// <summary>The source text as one weighted document: title and keywords twice, then the description.</summary>
    public static string WeightedText(LanguageText source) =>
        string.Join("\n", Enumerable.Repeat(source.Title, TitleWeight)
            .Concat(source.Keywords.SelectMany(k => Enumerable.Repeat(k, TitleWeight)))
            .Append(source.Description));

    /// <summary>
    /// A term or concept in more than this share of listings says little (idf below ln 20, against 7
    /// to 11 for the words that name a technology) and costs the most (the longest posting lists):
    /// like MoreLikeThis' maxDocFreqPct it is left out of match queries once the index holds
    /// <see cref="CommonTermMinDocs"/> listings. At 100,000 realistic listings, 10 % kept twice the
    /// postings of 5 % and matched a third slower.
    /// </summary>
    public const double CommonTermShare = 0.05;
    public const long CommonTermMinDocs = 1000;

    public static bool IsCommon(long docFreq, long docCount) => docCount >= CommonTermMinDocs && docFreq > CommonTermShare * docCount;

    /// <summary>The terms to query: by √tf × idf, best first, ties by term; terms no listing has, or too many have, are dropped.</summary>
    public static List<(string Term, double Idf)> Salient(IEnumerable<(string Term, double Tf, long DocFreq)> terms, long docCount) =>
        terms
            .Where(t => t.DocFreq > 0 && !IsCommon(t.DocFreq, docCount))
            .Select(t => (t.Term, Idf: Idf(t.DocFreq, docCount), Weight: Math.Sqrt(t.Tf) * Idf(t.DocFreq, docCount)))
            .OrderByDescending(t => t.Weight).ThenBy(t => t.Term, StringComparer.Ordinal)
            .Take(TermsPerLanguage)
            .Select(t => (t.Term, t.Idf))
            .ToList();

    /// <summary>One translation of a source word, as the engine analysed it: its terms and their document frequencies.</summary>
    public sealed record Alternative(string Text, IReadOnlyList<string> Terms, IReadOnlyList<long> DocFreqs);

    /// <summary>A translated group chosen for the query: the alternatives kept, each with its idf (the sum of its terms').</summary>
    public sealed record ChosenGroup(TermGroup Group, IReadOnlyList<(Alternative Alternative, double Idf)> Alternatives)
    {
        /// <summary>What a candidate holding the group's best alternative once, at average length, scores: the group's share of "all of it".</summary>
        public double Max => Group.Weight * Alternatives.Max(a => a.Idf);
    }

    /// <summary>
    /// The translated groups to query, as <see cref="Salient"/> chooses words: an alternative holding a
    /// term no listing has, or too many have, is dropped (and with its last alternative the group);
    /// groups by √tf × their best alternative's idf, best first; alternatives analysed alike are one.
    /// </summary>
    public static List<ChosenGroup> Groups(IEnumerable<(TermGroup Group, IReadOnlyList<Alternative> Alternatives)> groups, long docCount) =>
        groups
            .Select(g => new ChosenGroup(g.Group, g.Alternatives
                .Where(a => a.Terms.Count > 0 && a.DocFreqs.All(df => df > 0 && !IsCommon(df, docCount)))
                .DistinctBy(a => string.Join(' ', a.Terms))
                .Select(a => (a, a.DocFreqs.Sum(df => Idf(df, docCount))))
                .ToList()))
            .Where(g => g.Alternatives.Count > 0)
            .OrderByDescending(g => Math.Sqrt(g.Group.Tf) * g.Max).ThenBy(g => g.Group.Source, StringComparer.Ordinal)
            .Take(TermsPerLanguage)
            .ToList();

    /// <summary>
    /// The concepts to query: by weight × idf, best first. A concept too many listings carry (the
    /// generic 工艺 / технология) is left out like a common word: it tells little and its posting
    /// list is the longest of the query (at 100,000 listings one in 70 % of them was half a match's cost).
    /// </summary>
    public static List<(string Id, double Weight, double Idf)> Concepts(IEnumerable<(WeightedConcept Concept, long DocFreq)> concepts, long docCount) =>
        concepts
            .Where(c => c.DocFreq > 0 && c.Concept.Weight > 0 && !IsCommon(c.DocFreq, docCount))
            .Select(c => (c.Concept.Id, c.Concept.Weight, Idf: Idf(c.DocFreq, docCount)))
            .OrderByDescending(c => c.Weight * c.Idf).ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(MaxConcepts)
            .ToList();
}
