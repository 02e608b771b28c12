using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Marketplace.Search.Lucene;

namespace Marketplace.Tests.Search;

/// <summary>
/// The match's one-pass scorer must find what Lucene's own BooleanScorer finds — the same documents,
/// scores and order — and split each score into its parts exactly.
/// </summary>
public sealed class PartScorerTests
{
    [Test]
    public void FindsWhatLuceneFindsWithTheScoreOfEachPart()
    {
        using var directory = new RAMDirectory();
        var random = new Random(17);
        // Several segments and windows: 6,000 documents of words with skewed frequencies, committed in batches.
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new WhitespaceAnalyzer(LuceneVersion.LUCENE_48))
               {
                   Similarity = new BM25Similarity(), MergePolicy = NoMergePolicy.COMPOUND_FILES,
               }))
        {
            for (var i = 0; i < 6000; i++)
            {
                var words = Enumerable.Range(0, random.Next(3, 30)).Select(_ => $"w{(int)Math.Pow(random.Next(1, 400), 1.5) % 300}");
                // Identical documents in every segment score alike: the lower document number must win the tie.
                if (i % 40 == 0) words = ["tie", "tie", "w1"];
                writer.AddDocument(new Document
                {
                    new TextField("text", string.Join(' ', words), Field.Store.NO),
                    new StringField("kind", i % 3 == 0 ? "need" : "offer", Field.Store.NO),
                });
                if (i % 1000 == 999) writer.Commit();
            }
        }
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        Assert.That(reader.Leaves.Count, Is.GreaterThan(1));
        var filter = new QueryWrapperFilter(new TermQuery(new Term("kind", "offer")));

        for (var round = 0; round < 21; round++)
        {
            var query = new ClauseWeightsQuery();
            var parts = new List<int>();
            if (round == 20)
            {
                query.Add(new TermQuery(new Term("text", "tie")), Occur.SHOULD);
                query.Add(new TermQuery(new Term("text", "w1")), Occur.SHOULD);
                parts.AddRange([0, 1]);
            }
            for (var c = 0; c < (round == 20 ? 0 : 12); c++)
            {
                Query clause = c % 4 == 3
                    ? new DisjunctionMaxQuery(0f) { new TermQuery(new Term("text", $"w{random.Next(300)}")), new TermQuery(new Term("text", $"w{random.Next(300)}")) }
                    : new TermQuery(new Term("text", $"w{random.Next(300)}")) { Boost = 1 + random.Next(3) };
                query.Add(clause, Occur.SHOULD);
                parts.Add(c % 3);
            }
            var expected = searcher.Search(query, filter, 30).ScoreDocs;
            var weights = ((ClauseWeightsQuery.Weights)searcher.CreateNormalizedWeight(query)).Clauses;

            var top = PartScorer.Top(searcher, weights, parts.ToArray(), 3, filter, 30);

            Assert.That(top.Select(h => h.Doc), Is.EqualTo(expected.Select(d => d.Doc)));
            Assert.That(top.Select(h => h.Score), Is.EqualTo(expected.Select(d => d.Score)));
            foreach (var hit in top)
            {
                Assert.That(hit.Parts.Sum(), Is.EqualTo(hit.Score).Within(1e-4));
                // Each part is what its clauses alone score for the document.
                for (var part = 0; part < 3; part++)
                {
                    var alone = new BooleanQuery();
                    for (var c = 0; c < parts.Count; c++)
                        if (parts[c] == part) alone.Add(query.Clauses[c].Query, Occur.SHOULD);
                    Assert.That(hit.Parts[part], Is.EqualTo(searcher.Explain(alone, hit.Doc).Value).Within(1e-4));
                }
            }
        }
    }
}
