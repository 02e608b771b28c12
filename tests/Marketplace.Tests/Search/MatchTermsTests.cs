using Marketplace.Search;

namespace Marketplace.Tests.Search;

/// <summary>What both engines leave out of a match query: terms and concepts too many listings carry.</summary>
public sealed class MatchTermsTests
{
    [Test]
    public void ATermInMoreThanOneListingInTwentyIsLeftOutOnceTheIndexIsLarge()
    {
        // 技术 in 6 % of 100,000 listings, 离心 in 0.2 %, 风机 in exactly 5 %.
        (string, double, long)[] terms = [("技术", 3, 6_000), ("离心", 1, 200), ("风机", 1, 5_000)];
        Assert.That(MatchTerms.Salient(terms, 100_000).Select(t => t.Term), Is.EqualTo(new[] { "离心", "风机" }));
        // Under 1,000 listings every share is kept: a small index has no statistics to judge by.
        Assert.That(MatchTerms.Salient(terms.Select(t => (t.Item1, t.Item2, t.Item3 / 200)), 500).Select(t => t.Term),
            Is.EquivalentTo(new[] { "技术", "离心", "风机" }));
    }

    [Test]
    public void AConceptMostListingsCarryIsLeftOutLikeACommonWord()
    {
        var concepts = new[] { (new WeightedConcept("gn-0005", 1), 70_000L), (new WeightedConcept("ag-0128", 1), 120L) };
        Assert.That(MatchTerms.Concepts(concepts, 100_000).Select(c => c.Id), Is.EqualTo(new[] { "ag-0128" }));
        Assert.That(MatchTerms.Concepts(concepts.Select(c => (c.Item1, Math.Max(1, c.Item2 / 200))), 500).Select(c => c.Id),
            Is.EquivalentTo(new[] { "gn-0005", "ag-0128" }));
    }

    [Test]
    public void ATranslationHoldingACommonTermIsDroppedAndWithItsLastAlternativeTheGroup()
    {
        var group = new TermGroup("消毒", ["дезинфекция", "обеззараживание"], 1, 1);
        MatchTerms.Alternative Alt(string text, long df) => new(text, [text[..6]], [df]);
        var chosen = MatchTerms.Groups([(group, [Alt("дезинфекция", 9_000), Alt("обеззараживание", 40)])], 100_000);
        Assert.That(chosen.Single().Alternatives.Select(a => a.Alternative.Text), Is.EqualTo(new[] { "обеззараживание" }));
        Assert.That(MatchTerms.Groups([(group, [Alt("дезинфекция", 9_000)])], 100_000), Is.Empty);
    }
}
