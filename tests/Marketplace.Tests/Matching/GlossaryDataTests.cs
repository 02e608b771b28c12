using System.Text.RegularExpressions;
using Marketplace.Api.Glossary;
using Marketplace.Contracts;

namespace Marketplace.Tests.Matching;

/// <summary>The shipped glossary: big enough, every field covered, well-formed names.</summary>
public sealed class GlossaryDataTests
{
    static readonly IReadOnlyList<Marketplace.Matching.Concept> Shipped = GlossaryStore.Shipped();

    [Test]
    public void ItHoldsAtLeast3000ConceptsCoveringEveryField()
    {
        Assert.That(Shipped, Has.Count.GreaterThanOrEqualTo(3000));
        var byField = Shipped.GroupBy(c => c.Field).ToDictionary(g => g.Key, g => g.Count());
        foreach (var field in Taxonomy.FieldCodes)
            Assert.That(byField.GetValueOrDefault(field), Is.GreaterThanOrEqualTo(100), field);
        Assert.That(byField.Keys.Except(Taxonomy.FieldCodes), Is.EquivalentTo(new[] { "general" }));
    }

    [Test]
    public void IdsAndChineseLabelsAreUnique()
    {
        Assert.That(Shipped.Select(c => c.Id), Is.Unique);
        Assert.That(Shipped.Select(c => c.ZhLabel.ToLowerInvariant()), Is.Unique);
    }

    [Test]
    public void NamesAreInTheirLanguagesScriptOrALatinCode()
    {
        var latinCode = new Regex(@"^[A-Za-z0-9 .()/+\-]+$");
        var bad = Shipped.Where(c =>
                c.Zh.Any(n => !Regex.IsMatch(n, @"\p{IsCJKUnifiedIdeographs}") && !latinCode.IsMatch(n)) ||
                c.Ru.Any(n => !Regex.IsMatch(n, @"\p{IsCyrillic}") && !latinCode.IsMatch(n)))
            .Select(c => c.Id).ToList();
        Assert.That(bad, Is.Empty);
    }
}
