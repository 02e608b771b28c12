namespace Marketplace.Matching;

/// <summary>The structured side of a listing that compatibility reads.</summary>
public sealed record ListingFacts(string Field, int Trl, IReadOnlyCollection<string> CooperationForms);

/// <summary>How well a need's constraints and an offer's properties fit, and what conflicts.</summary>
public sealed record CompatibilityResult(double Score, IReadOnlyList<string> Conflicts);

/// <summary>
/// Structured compatibility of a need and an offer: readiness (the offer's TRL against the need's
/// minimum), a common cooperation form, and the same or a related field. Each conflict lowers the
/// score and is named; none hides the pair.
/// </summary>
public static class Compatibility
{
    public const string TrlBelowMinimum = "trl-below-minimum";
    public const string NoCommonCooperationForm = "no-common-cooperation-form";
    public const string DifferentField = "different-field";
    public const string RelatedField = "related-field";

    // Each TRL step short of the need's minimum is months to years of development: 0.15 a step,
    // so one step short still beats a different technology, four steps short weighs like one.
    const double TrlStepPenalty = 0.15;
    const double NoCommonFormScore = 0.6;
    const double RelatedFieldScore = 0.85;
    const double DifferentFieldScore = 0.6;

    public static CompatibilityResult Evaluate(ListingFacts need, ListingFacts offer)
    {
        var conflicts = new List<string>();
        var trl = 1.0;
        if (offer.Trl < need.Trl)
        {
            trl = Math.Max(0.2, 1 - TrlStepPenalty * (need.Trl - offer.Trl));
            conflicts.Add(TrlBelowMinimum);
        }
        var forms = 1.0;
        if (!need.CooperationForms.Intersect(offer.CooperationForms).Any())
        {
            forms = NoCommonFormScore;
            conflicts.Add(NoCommonCooperationForm);
        }
        var field = 1.0;
        if (need.Field != offer.Field)
        {
            var related = FieldRelations.AreRelated(need.Field, offer.Field);
            field = related ? RelatedFieldScore : DifferentFieldScore;
            conflicts.Add(related ? RelatedField : DifferentField);
        }
        return new CompatibilityResult(trl * forms * field, conflicts);
    }
}

/// <summary>Fields of the taxonomy whose technologies often serve each other.</summary>
public static class FieldRelations
{
    static readonly (string A, string B)[] Pairs =
    [
        ("new-materials", "welding-metallurgy"), ("new-materials", "applied-chemistry"), ("new-materials", "textiles-light-industry"),
        ("new-materials", "aerospace"), ("new-materials", "new-energy"), ("new-materials", "lasers-optics"),
        ("biotech", "genetic-engineering"), ("biotech", "medicine-pharma"), ("biotech", "agriculture"), ("biotech", "environment"),
        ("genetic-engineering", "medicine-pharma"), ("genetic-engineering", "agriculture"),
        ("applied-chemistry", "environment"), ("applied-chemistry", "textiles-light-industry"), ("applied-chemistry", "medicine-pharma"),
        ("applied-chemistry", "new-energy"),
        ("mechatronics", "welding-metallurgy"), ("mechatronics", "transport-machinery"), ("mechatronics", "aerospace"),
        ("mechatronics", "lasers-optics"), ("mechatronics", "information-technology"),
        ("aerospace", "information-technology"), ("aerospace", "marine-instruments"), ("aerospace", "transport-machinery"),
        ("information-technology", "lasers-optics"), ("information-technology", "medicine-pharma"),
        ("lasers-optics", "welding-metallurgy"), ("lasers-optics", "medicine-pharma"),
        ("new-energy", "transport-machinery"), ("new-energy", "environment"),
        ("agriculture", "environment"), ("agriculture", "textiles-light-industry"),
        ("medicine-pharma", "nuclear-instruments"), ("nuclear-instruments", "new-energy"), ("nuclear-instruments", "environment"),
        ("welding-metallurgy", "transport-machinery"), ("marine-instruments", "transport-machinery"), ("marine-instruments", "environment"),
    ];

    static readonly HashSet<(string, string)> Related = Pairs.SelectMany(p => new[] { (p.A, p.B), (p.B, p.A) }).ToHashSet();

    public static bool AreRelated(string a, string b) => Related.Contains((a, b));
}
