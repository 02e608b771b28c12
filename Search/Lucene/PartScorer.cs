using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Marketplace.Search.Lucene;

/// <summary>
/// The best documents of a pure disjunction among those a filter admits, each with its score per
/// part of the query (a text language, a translated language, the concepts) in the same pass.
/// </summary>
/// <remarks>
/// This is Lucene 4.8's bucket scorer (BooleanScorer) for SHOULD clauses, with one more sum per part:
/// a window of 2,048 documents at a time, each clause's postings scored into the window's buckets in
/// clause order, so the totals are the ones BooleanScorer computes (BM25 has no coord). Scoring the
/// candidates per part afterwards cost a second scorer per clause and segment, a sixth of a match.
/// Ties go to the lower document number, as Lucene's collectors do.
/// </remarks>
static class PartScorer
{
    const int WindowBits = 11;
    const int Window = 1 << WindowBits;

    public sealed record Hit(int Doc, float Score, double[] Parts);

    public static IReadOnlyList<Hit> Top(IndexSearcher searcher, IList<Weight> clauses, int[] partOf, int parts, Filter filter, int count)
    {
        // The worst kept hit on top: lowest score, then highest document.
        var kept = new PriorityQueue<Hit, (float Score, int Doc)>(count + 1, Comparer<(float Score, int Doc)>.Create((a, b) =>
            a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Doc.CompareTo(a.Doc)));
        var totals = new double[Window];
        var sums = new double[parts * Window];
        var touched = new int[Window];
        var seen = new bool[Window];
        var scorers = new List<(Scorer Scorer, int Part)>(clauses.Count);

        foreach (var leaf in searcher.IndexReader.Leaves)
        {
            if (Admitted(filter.GetDocIdSet(leaf, leaf.AtomicReader.LiveDocs), leaf.AtomicReader.MaxDoc) is not { } admitted) continue;
            scorers.Clear();
            for (var i = 0; i < clauses.Count; i++)
                if (clauses[i].GetScorer(leaf, admitted) is { } scorer && scorer.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
                    scorers.Add((scorer, partOf[i]));

            while (scorers.Count > 0)
            {
                // The window of the lowest document any clause is on.
                var next = int.MaxValue;
                foreach (var (scorer, _) in scorers) next = Math.Min(next, scorer.DocID);
                var start = next & ~(Window - 1);
                var end = start + Window;
                var n = 0;
                foreach (var (scorer, part) in scorers)
                {
                    for (var doc = scorer.DocID; doc < end; doc = scorer.NextDoc())
                    {
                        var slot = doc - start;
                        if (!seen[slot])
                        {
                            seen[slot] = true;
                            touched[n++] = slot;
                        }
                        double score = scorer.GetScore();
                        totals[slot] += score;
                        sums[part * Window + slot] += score;
                    }
                }
                for (var i = 0; i < n; i++)
                {
                    var slot = touched[i];
                    var hit = (Score: (float)totals[slot], Doc: leaf.DocBase + start + slot);
                    if (kept.Count < count || (kept.TryPeek(out _, out var worst) && Better(hit, worst)))
                    {
                        var scores = new double[parts];
                        for (var p = 0; p < parts; p++) scores[p] = sums[p * Window + slot];
                        kept.Enqueue(new Hit(hit.Doc, hit.Score, scores), hit);
                        if (kept.Count > count) kept.Dequeue();
                    }
                    totals[slot] = 0;
                    for (var p = 0; p < parts; p++) sums[p * Window + slot] = 0;
                    seen[slot] = false;
                }
                scorers.RemoveAll(s => s.Scorer.DocID == DocIdSetIterator.NO_MORE_DOCS);
            }
        }

        var best = new List<Hit>(kept.Count);
        while (kept.Count > 0) best.Add(kept.Dequeue());
        best.Reverse();
        return best;
    }

    static bool Better((float Score, int Doc) a, (float Score, int Doc) b) => a.Score > b.Score || (a.Score == b.Score && a.Doc < b.Doc);

    /// <summary>The documents a filter admits as bits; a filter without random access (none of ours) is copied into a bit set.</summary>
    static IBits? Admitted(DocIdSet? set, int maxDoc)
    {
        if (set is null) return null;
        if (set.Bits is { } bits) return bits;
        if (set.GetIterator() is not { } iterator) return null;
        var copy = new FixedBitSet(maxDoc);
        copy.Or(iterator);
        return copy;
    }
}
