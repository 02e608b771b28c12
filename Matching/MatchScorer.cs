namespace Marketplace.Matching;

/// <summary>The parts of a match score, each in [0, 1].</summary>
/// <param name="Text">Normalized BM25 of the source's salient terms in the candidate's text (same language only).</param>
/// <param name="Concepts">Idf-weighted share of the source's concepts (glossary concepts and code terms) the candidate has.</param>
/// <param name="Compatibility">Product of the TRL, cooperation-form and field factors.</param>
/// <param name="Translated">Normalized BM25 of the source's words translated into the candidate's language.</param>
/// <param name="Figures">Share of the source's figures (numbers with units) the candidate states too, see <see cref="Matching.Figures"/>.</param>
public sealed record MatchComponents(double Text, double Concepts, double Compatibility, double Translated = 0, double Figures = 0)
{
    /// <summary>The text evidence: the words a pair shares in one language, or through translation, whichever says more.</summary>
    public double Words => Math.Max(Text, MatchScorer.TranslatedWeight * Translated);
}

/// <summary>
/// Combines the components into one score in [0, 1]:
/// <code>
///   text'      = min(1, text / TextSaturation)
///   words      = max(text, TranslatedWeight x translated)
///   words'     = min(1, words / TextSaturation)
///   relevance  = 1 - (1 - TextWeight x words') x (1 - concepts)   (either signal can carry a match)
///   lifted     = relevance + FiguresWeight x figures x relevance x (1 - relevance)
///   score      = lifted x (CompatibilityFloor + (1 - CompatibilityFloor) x compatibility)
/// </code>
/// The noisy-or lets a cross-language pair, which shares concepts but no words, score as high as a
/// same-language pair. Words add less than concepts (TextWeight): in a common language the concepts
/// are found too, so the words mostly repeat that evidence, and a pair must not win merely by
/// sharing a language. Shared figures lift what words and concepts found, most in the middle of
/// the range, and nothing they did not (a pair with no relevance stays at 0). Compatibility
/// scales relevance but never hides a relevant pair.
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

    /// <summary>
    /// What translated words count against words shared in one language. Equal: a cross-language
    /// pair must be able to earn the same text evidence as a same-language one.
    /// </summary>
    public const double TranslatedWeight = 1.0;

    /// <summary>How far shared figures lift relevance: weak evidence, at most a quarter of the way from 0.5 to 1 when all agree.</summary>
    public const double FiguresWeight = 0.5;

    /// <summary>An incompatible pair keeps half of its relevance: conflicts rank it below compatible equals, not out of sight.</summary>
    public const double CompatibilityFloor = 0.5;

    public static double Relevance(double text, double concepts)
    {
        var t = TextWeight * Math.Clamp(text / TextSaturation, 0, 1);
        var c = Math.Clamp(concepts, 0, 1);
        return 1 - (1 - t) * (1 - c);
    }

    public static double Lifted(double relevance, double figures) =>
        relevance + FiguresWeight * Math.Clamp(figures, 0, 1) * relevance * (1 - relevance);

    public static double Score(MatchComponents c) =>
        Math.Clamp(Lifted(Relevance(c.Words, c.Concepts), c.Figures) * (CompatibilityFloor + (1 - CompatibilityFloor) * Math.Clamp(c.Compatibility, 0, 1)), 0, 1);
}
