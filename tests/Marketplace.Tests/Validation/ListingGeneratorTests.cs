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
        var generator = ListingGenerator.Shipped(seed);
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

    [Test]
    public void DescriptionsHaveTheLengthsOfRealListingsAndUseTheLexicon()
    {
        var listings = Generate(5, 2000);
        var descriptions = listings.SelectMany(l => l["description"]!.AsObject().Select(p => (Language: p.Key, Text: p.Value!.GetValue<string>()))).ToList();
        Assert.That(descriptions.Where(d => d.Text.Length is < ListingGenerator.MinDescription or > ListingGenerator.MaxDescription)
            .Select(d => $"{d.Language} {d.Text.Length}"), Is.Empty);
        foreach (var language in new[] { "zh", "ru" })
        {
            var lengths = descriptions.Where(d => d.Language == language).Select(d => d.Text.Length).ToList();
            Assert.That(lengths.Max() - lengths.Min(), Is.GreaterThan(200), $"{language}: lengths spread over the range");
        }
        // The generated words come from the lexicon's fields and general areas, not a handful of templates.
        var lexicon = ListingGenerator.ShippedLexicon();
        var used = lexicon.Where(e => e.Area.StartsWith("general-", StringComparison.Ordinal)).Select(e => e.Zh[0])
            .Count(word => listings.Any(l => l["description"]!["zh"]?.GetValue<string>().Contains(word) == true));
        Assert.That(used, Is.GreaterThan(1000));
        Assert.That(listings.Count(l => Marketplace.Matching.Figures.Extract(l["description"]!["ru"]?.GetValue<string>()).Count > 0), Is.GreaterThan(100),
            "figures with units, as real listings state them");
    }
}
