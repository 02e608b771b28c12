using System.Text.Json;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Cli;
using Marketplace.Contracts;

namespace Marketplace.Tests.Validation;

public sealed class ListingGeneratorTests
{
    [OneTimeSetUp]
    public void CamelCasePaths() => ValidationNames.UseCamelCasePaths();

    static List<System.Text.Json.Nodes.JsonObject> Generate(int seed, int count)
    {
        var generator = new ListingGenerator(ListingGenerator.ShippedGlossary(), seed);
        return Enumerable.Range(0, count).Select(i => generator.Next($"X-{i}", need: i % 3 == 0)).ToList();
    }

    [Test]
    public void TheSameSeedGivesTheSameListings() =>
        Assert.That(Generate(7, 50).Select(l => l.ToJsonString()), Is.EqualTo(Generate(7, 50).Select(l => l.ToJsonString())));

    [Test]
    public void EveryGeneratedListingIsOneTheApiAccepts()
    {
        var listings = Generate(11, 2000);
        var validator = new ListingValidator(requireExternalRef: true);
        var refused = listings
            .Select(l =>
            {
                var body = l.DeepClone().AsObject();
                body["externalRef"] = body["ref"]!.GetValue<string>();
                body.Remove("ref");
                return validator.Validate(JsonSerializer.Deserialize<ListingRequest>(body.ToJsonString(), JsonSerializerOptions.Web)!);
            })
            .Where(r => !r.IsValid)
            .Select(r => string.Join("; ", r.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")))
            .ToList();
        Assert.That(refused, Is.Empty);
        var languages = listings.Select(l => string.Join("+", l["title"]!.AsObject().Select(p => p.Key))).Distinct();
        Assert.That(languages, Is.EquivalentTo(new[] { "zh", "ru", "zh+ru" }));
        Assert.That(listings.Select(l => l["field"]!.GetValue<string>()).Distinct().Count(), Is.EqualTo(Taxonomy.FieldCodes.Count));
    }
}
