using Marketplace.Api.Glossary;
using Marketplace.Api.Listings;
using Marketplace.Contracts;
using Marketplace.Matching;
using Marketplace.Search;

namespace Marketplace.Api.Matches;

/// <summary>
/// Runs a match: the engine finds candidates by text and concepts, the database supplies them,
/// and <see cref="MatchScorer"/> ranks them with their compatibility.
/// </summary>
public sealed class ListingMatcher(IListingIndex index, ListingStore store, ConceptCatalog catalog, TextAnalysis analysis)
{
    /// <summary>Candidates fetched per requested result: compatibility can reorder the engine's list (30 measured as good as 50 on the dev set, and cheaper).</summary>
    const int CandidatesPerResult = 3;
    const int MinCandidates = 30;

    public static int CandidatesFor(int limit) => Math.Max(MinCandidates, limit * CandidatesPerResult);

    public async Task<MatchResponse> MatchAsync(ListingContent source, ListingKind sourceKind, ListingFilter filter, int limit, bool explain,
        CancellationToken ct)
    {
        var ranking = await RankAsync(source, sourceKind, filter, limit, ct);
        return new MatchResponse(explain ? ranking.Items.Select((m, i) => m with { Explanation = ranking.Explain(i) }).ToList() : ranking.Items);
    }

    /// <summary>The ranked matches without explanations, and why any of them matches on demand: a caller that shows a few explains only those.</summary>
    public sealed class Ranking(IReadOnlyList<MatchItem> items, Func<int, MatchExplanation> explain)
    {
        public IReadOnlyList<MatchItem> Items { get; } = items;

        /// <summary>Why the item at this position (0-based, in <see cref="Items"/>) matches.</summary>
        public MatchExplanation Explain(int position) => explain(position);
    }

    /// <summary>The best <paramref name="limit"/> published listings of the other kind for a source, ranked, not yet explained.</summary>
    public async Task<Ranking> RankAsync(ListingContent source, ListingKind sourceKind, ListingFilter filter, int limit, CancellationToken ct)
    {
        var target = sourceKind == ListingKind.Need ? ListingKind.Offer : ListingKind.Need;
        var weighted = catalog.WeightedConceptsOf(source);
        var candidates = await index.MatchAsync(new MatchQuery(
            source.Texts(), weighted,
            filter with { Kind = target.Name, Status = ListingStatus.Published },
            CandidatesFor(limit), catalog.TranslationsOf(source)), ct);
        // Candidates are checked against the database: a listing the index still holds after it was unpublished is not shown.
        var rows = (await store.FindForRankingAsync(candidates.Hits.Select(h => h.Id).ToList(), ct))
            .Where(r => r.Status == ListingStatus.Published && r.Kind == target.Name)
            .ToDictionary(r => r.Id);
        var sourceFacts = new ListingFacts(source.Field, source.Trl, source.CooperationForms);
        var sourceFigures = RankingFacts.Of(source).Figures;

        // Only the columns and the ranking facts stored beside the body are read for ranking; the full listing only for the results shown.
        var scored = candidates.Hits
            .Where(h => rows.ContainsKey(h.Id))
            .Select(h =>
            {
                var row = rows[h.Id];
                var ranking = row.RankingFacts;
                var facts = new ListingFacts(row.Field, row.Trl, ranking.CooperationForms);
                var compatibility = sourceKind == ListingKind.Need
                    ? Compatibility.Evaluate(sourceFacts, facts)
                    : Compatibility.Evaluate(facts, sourceFacts);
                var figures = sourceFigures.Count == 0 ? [] : Figures.Shared(sourceFigures, ranking.Figures);
                var components = new MatchComponents(h.Text, h.Concepts, compatibility.Score, h.Translated,
                    Figures.Share(sourceFigures, figures.Count));
                return (Row: row, Components: components, compatibility.Conflicts, figures, Score: MatchScorer.Score(components));
            })
            .OrderByDescending(x => x.Score).ThenBy(x => x.Row.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        // The full listings of the results shown.
        var shown = (await store.FindManyAsync(scored.Select(x => x.Row.Id).ToList(), ct)).ToDictionary(r => r.Id, r => r.Content);
        var results = scored.Where(x => shown.ContainsKey(x.Row.Id))
            .Select(x => (x.Row, Content: shown[x.Row.Id], x.Components, x.Conflicts, x.figures, x.Score))
            .ToList();
        var sourceConcepts = weighted.Select(c => c.Id).ToList();

        return new Ranking(results.Select((x, i) => new MatchItem(
                i + 1,
                Math.Round(x.Score, 4),
                new ListingSummary(x.Row.Id, x.Row.ExternalRef, x.Row.Kind, x.Row.OrganizationId, x.Content.Title ?? new LocalizedText(), x.Content.Field,
                    x.Content.Trl, x.Content.CooperationForms, x.Content.Country),
                null)).ToList(),
            i => Explain(results[i].Content, results[i].Components, results[i].Conflicts, results[i].figures, sourceConcepts, candidates));
    }

    MatchExplanation Explain(ListingContent candidate, MatchComponents components, IReadOnlyList<string> conflicts, IReadOnlyList<Figure> figures,
        IReadOnlyList<string> sourceConcepts, MatchCandidates query)
    {
        var candidateTexts = candidate.Texts();
        var matched = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (language, terms) in query.QueryTerms)
        {
            if (!candidateTexts.TryGetValue(language, out var text)) continue;
            var words = analysis.Terms(language, text);
            var shared = terms.Where(words.Contains).ToList();
            if (shared.Count > 0) matched[language] = shared;
        }
        // A source word counts as translated when the candidate holds every term of one of its translations.
        var translated = new List<TranslatedTermPair>();
        foreach (var (language, groups) in query.QueryGroups ?? new Dictionary<string, IReadOnlyList<TermGroup>>())
        {
            if (!candidateTexts.TryGetValue(language, out var text)) continue;
            var words = analysis.Terms(language, text);
            foreach (var group in groups)
                if (group.Alternatives.FirstOrDefault(a => analysis.Tokens(language, a) is { Count: > 0 } tokens && tokens.All(words.Contains)) is { } target)
                    translated.Add(new TranslatedTermPair(group.Source, target));
        }
        return new MatchExplanation(
            Math.Round(components.Text, 4),
            Math.Round(components.Concepts, 4),
            Math.Round(components.Compatibility, 4),
            matched,
            catalog.Shared(sourceConcepts, catalog.ConceptsOf(candidate)),
            conflicts,
            Math.Round(components.Translated, 4),
            translated,
            Math.Round(components.Figures, 4),
            figures.Select(f => f.Text).ToList());
    }
}
