namespace Marketplace.Matching;

/// <summary>The parts of a match score, each in [0, 1].</summary>
/// <param name="Text">Normalized BM25 of the source's salient terms in the candidate's text (same language only).</param>
/// <param name="Concepts">Idf-weighted share of the source's concepts (glossary concepts and code terms) the candidate has.</param>
/// <param name="Compatibility">Product of the TRL, cooperation-form and field factors.</param>
public sealed record MatchComponents(double Text, double Concepts, double Compatibility);

/// <summary>
/// Combines the components into one score in [0, 1]:
/// <code>
///   text'      = min(1, text / TextSaturation)
///   relevance  = 1 - (1 - TextWeight x text') x (1 - concepts)   (either signal can carry a match)
///   score      = relevance x (CompatibilityFloor + (1 - CompatibilityFloor) x compatibility)
/// </code>
/// The noisy-or lets a cross-language pair, which shares concepts but no words, score as high as a
/// same-language pair. Words add less than concepts (TextWeight): in a common language the concepts
/// are found too, so the words mostly repeat that evidence, and a pair must not win merely by
/// sharing a language. Compatibility scales relevance but never hides a relevant pair.
/// </summary>
public static class MatchScorer
{
    /// <summary>
    /// The text component is BM25 divided by the sum of the salient terms' idf (every term once, at
    /// average length). Two write-ups of one technology share about half of their salient terms, so
    /// half already counts as a full text match.
    /// </summary>
    public const double TextSaturation = 0.5;

    /// <summary>How much the words of a common language add beside the concepts.</summary>
    public const double TextWeight = 0.6;

    /// <summary>An incompatible pair keeps half of its relevance: conflicts rank it below compatible equals, not out of sight.</summary>
    public const double CompatibilityFloor = 0.5;

    public static double Relevance(double text, double concepts)
    {
        var t = TextWeight * Math.Clamp(text / TextSaturation, 0, 1);
        var c = Math.Clamp(concepts, 0, 1);
        return 1 - (1 - t) * (1 - c);
    }

    public static double Score(MatchComponents c) =>
        Math.Clamp(Relevance(c.Text, c.Concepts) * (CompatibilityFloor + (1 - CompatibilityFloor) * Math.Clamp(c.Compatibility, 0, 1)), 0, 1);
}
