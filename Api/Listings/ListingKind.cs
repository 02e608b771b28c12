namespace Marketplace.Api.Listings;

/// <summary>Offers (supply) and needs (demand) share one shape; the kind names the collection.</summary>
public sealed record ListingKind(string Name, string Collection, string IdPrefix)
{
    public static readonly ListingKind Offer = new("offer", "offers", "of_");
    public static readonly ListingKind Need = new("need", "needs", "nd_");

    /// <summary>The name with its English article, for summaries: "an offer", "a need".</summary>
    public string WithArticle => ("aeiou".Contains(Name[0]) ? "an " : "a ") + Name;
}
