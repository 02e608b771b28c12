using Marketplace.Matching;

namespace Marketplace.Tests.Matching;

public sealed class ScoringTests
{
    static ListingFacts Need(int trl = 6, string field = "new-energy", params string[] forms) =>
        new(field, trl, forms.Length == 0 ? ["licensing"] : forms);

    static ListingFacts Offer(int trl = 7, string field = "new-energy", params string[] forms) =>
        new(field, trl, forms.Length == 0 ? ["licensing", "co-production"] : forms);

    [Test]
    public void ACompatiblePairHasNoConflict()
    {
        var result = Compatibility.Evaluate(Need(), Offer());
        Assert.That((result.Score, result.Conflicts.Count), Is.EqualTo((1.0, 0)));
    }

    [TestCase(6, 5, Compatibility.TrlBelowMinimum)]
    [TestCase(9, 2, Compatibility.TrlBelowMinimum)]
    public void AnOfferBelowTheNeedsMinimumTrlConflicts(int needTrl, int offerTrl, string conflict)
    {
        var result = Compatibility.Evaluate(Need(needTrl), Offer(offerTrl));
        Assert.That(result.Conflicts, Is.EqualTo(new[] { conflict }));
        Assert.That(result.Score, Is.InRange(0.2, 0.99));
    }

    [Test]
    public void MoreTrlStepsShortScoreLower() =>
        Assert.That(Compatibility.Evaluate(Need(8), Offer(7)).Score, Is.GreaterThan(Compatibility.Evaluate(Need(8), Offer(4)).Score));

    [Test]
    public void NoCommonCooperationFormConflicts() =>
        Assert.That(Compatibility.Evaluate(Need(forms: "equity"), Offer(forms: "training")).Conflicts,
            Is.EqualTo(new[] { Compatibility.NoCommonCooperationForm }));

    [Test]
    public void ARelatedFieldIsBetterThanAnUnrelatedOne()
    {
        var related = Compatibility.Evaluate(Need(field: "biotech"), Offer(field: "genetic-engineering"));
        var unrelated = Compatibility.Evaluate(Need(field: "biotech"), Offer(field: "aerospace"));
        Assert.That(related.Conflicts, Is.EqualTo(new[] { Compatibility.RelatedField }));
        Assert.That(unrelated.Conflicts, Is.EqualTo(new[] { Compatibility.DifferentField }));
        Assert.That(related.Score, Is.GreaterThan(unrelated.Score));
    }

    [TestCase(0, 0, 0)]
    [TestCase(1, 1, 1)]
    [TestCase(5, 5, 5)]
    [TestCase(-1, -1, -1)]
    public void TheScoreStaysWithinZeroAndOne(double text, double concepts, double compatibility) =>
        Assert.That(MatchScorer.Score(new MatchComponents(text, concepts, compatibility)), Is.InRange(0, 1));

    [Test]
    public void ACrossLanguagePairSharingAllConceptsBeatsASameLanguagePairSharingSomeWords()
    {
        var crossLanguage = MatchScorer.Score(new MatchComponents(Text: 0, Concepts: 0.9, Compatibility: 1));
        var sameLanguage = MatchScorer.Score(new MatchComponents(Text: 0.3, Concepts: 0.3, Compatibility: 1));
        Assert.That(crossLanguage, Is.GreaterThan(sameLanguage));
    }

    [Test]
    public void AConflictLowersButDoesNotZeroTheScore()
    {
        var compatible = MatchScorer.Score(new MatchComponents(0.5, 0.5, 1));
        var conflicting = MatchScorer.Score(new MatchComponents(0.5, 0.5, 0.5));
        Assert.That(conflicting, Is.LessThan(compatible).And.GreaterThan(0));
    }

    [Test]
    public void FiguresLiftAFoundPairButFindNothingOnTheirOwn()
    {
        var found = new MatchComponents(Text: 0, Concepts: 0.5, Compatibility: 1);
        Assert.That(MatchScorer.Score(found with { Figures = 1 }), Is.GreaterThan(MatchScorer.Score(found)));
        Assert.That(MatchScorer.Score(found with { Figures = 1 }) - MatchScorer.Score(found), Is.LessThanOrEqualTo(0.125 + 1e-12), "weak evidence");
        Assert.That(MatchScorer.Score(new MatchComponents(0, 0, 1, Figures: 1)), Is.Zero);
        Assert.That(MatchScorer.Score(new MatchComponents(1, 1, 1, Figures: 1)), Is.EqualTo(1));
    }
}
