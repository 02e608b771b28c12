using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Matching;

namespace Marketplace.Cli;

/// <summary>
/// Deterministic bilingual listings in the SCHEMA.md format, built from glossary concepts and
/// sentence templates: Chinese only, Russian only or both; every field, form and TRL. For load
/// tests and demos, not for judging relevance.
/// </summary>
public sealed class ListingGenerator
{
    readonly Random _random;
    readonly Dictionary<string, List<Concept>> _byField;
    readonly List<Concept> _general;

    public ListingGenerator(IReadOnlyList<Concept> concepts, int seed)
    {
        _random = new Random(seed);
        // Names in their own script only: a Latin code (PLC, 5G) alone would make a title the API refuses.
        var usable = concepts.Where(c => c.ZhLabel.Any(ch => ch is >= '\u4e00' and <= '\u9fff') && c.RuLabel.Any(ch => ch is >= '\u0400' and <= '\u04ff')).ToList();
        _byField = usable.Where(c => Taxonomy.FieldCodes.Contains(c.Field)).GroupBy(c => c.Field).ToDictionary(g => g.Key, g => g.ToList());
        _general = usable.Where(c => !Taxonomy.FieldCodes.Contains(c.Field)).ToList();
    }

    public static IReadOnlyList<Concept> ShippedGlossary()
    {
        using var stream = typeof(ListingGenerator).Assembly.GetManifestResourceStream("glossary.tsv")!;
        using var reader = new StreamReader(stream);
        return GlossaryTsv.Parse(reader);
    }

    static readonly string[] ZhOffer =
    [
        "本技术采用{0}与{1}相结合的工艺，关键指标达到国际先进水平。", "我单位研制的{0}已完成{1}验证，可用于{2}。",
        "该成果解决了{0}中的{1}问题，具有自主知识产权。", "产品核心部件包括{0}和{1}，适用于{2}领域。",
        "与传统{0}相比，能耗降低三成，{1}寿命提高一倍。",
    ];
    static readonly string[] ZhNeed =
    [
        "我公司需要{0}方面的成熟技术，重点解决{1}问题。", "寻求{0}和{1}的合作伙伴，用于{2}。",
        "现有{0}依赖进口，希望引进{1}技术实现国产化。", "项目要求{0}满足{1}的使用条件，年需求量较大。",
    ];
    static readonly string[] RuOffer =
    [
        "Технология сочетает {0} и {1}; ключевые показатели на мировом уровне.", "Разработанная установка ({0}) прошла испытания: {1}; применение — {2}.",
        "Решение устраняет проблемы в области «{0}», связанные с {1}; защищено патентами.", "Основные узлы изделия — {0} и {1}; область применения — {2}.",
        "По сравнению с традиционной технологией «{0}» энергопотребление ниже на треть, ресурс ({1}) выше вдвое.",
    ];
    static readonly string[] RuNeed =
    [
        "Предприятию требуется отработанная технология по направлению «{0}», прежде всего {1}.", "Ищем партнёра по направлениям «{0}» и «{1}» для задач: {2}.",
        "Сейчас {0} закупается по импорту; нужна технология «{1}» для локализации производства.", "Проект требует, чтобы {0} соответствовал условиям эксплуатации: {1}.",
    ];
    static readonly string[] CnRegions = ["山东省", "江苏省", "广东省", "黑龙江省", "吉林省", "辽宁省", "浙江省", "湖北省", "四川省", "北京市", "上海市", "重庆市"];
    static readonly string[] RuRegions = ["Москва", "Санкт-Петербург", "Новосибирская область", "Свердловская область", "Татарстан", "Приморский край", "Хабаровский край", "Томская область", "Самарская область", "Амурская область"];

    /// <summary>The next listing as a SCHEMA.md object (with <c>ref</c>).</summary>
    public JsonObject Next(string reference, bool need)
    {
        var field = Taxonomy.Fields[_random.Next(Taxonomy.Fields.Count)].Code;
        var pool = _byField.GetValueOrDefault(field) ?? _general;
        var picked = Enumerable.Range(0, 8).Select(i => i < 6 ? pool[_random.Next(pool.Count)] : _general[_random.Next(_general.Count)]).ToList();
        var languages = _random.Next(10) switch { < 4 => "zh", < 8 => "ru", _ => "both" };
        var zh = languages != "ru";
        var ru = languages != "zh";
        var sentences = 2 + _random.Next(4);

        string Describe(string[] templates, Func<Concept, string> name, string separator) => string.Join(separator,
            Enumerable.Range(0, sentences).Select(s => string.Format(templates[(s + _random.Next(templates.Length)) % templates.Length],
                name(picked[s % 6]), name(picked[(s + 1) % 6]), name(picked[6 + s % 2]))));

        var title = new JsonObject();
        var description = new JsonObject();
        var keywords = new JsonObject();
        if (zh)
        {
            title["zh"] = picked[0].ZhLabel + (need ? "技术需求" : picked[1].ZhLabel);
            description["zh"] = Describe(need ? ZhNeed : ZhOffer, c => c.ZhLabel, "");
            keywords["zh"] = new JsonArray(picked.Take(3).Select(c => (JsonNode)c.ZhLabel).ToArray());
        }
        if (ru)
        {
            title["ru"] = Capitalize(picked[0].RuLabel) + (need ? ": требуется технология" : ": " + picked[1].RuLabel);
            description["ru"] = Describe(need ? RuNeed : RuOffer, c => c.RuLabel, " ");
            keywords["ru"] = new JsonArray(picked.Take(3).Select(c => (JsonNode)c.RuLabel).ToArray());
        }
        var country = zh && !ru ? "CN" : ru && !zh ? "RU" : _random.Next(2) == 0 ? "CN" : "RU";
        return new JsonObject
        {
            ["ref"] = reference,
            ["title"] = title,
            ["description"] = description,
            ["keywords"] = keywords,
            ["field"] = field,
            ["trl"] = need ? 3 + _random.Next(6) : 1 + _random.Next(9),
            ["cooperationForms"] = new JsonArray(Taxonomy.CooperationForms.OrderBy(_ => _random.Next()).Take(1 + _random.Next(3))
                .Select(f => (JsonNode)f.Code).ToArray()),
            ["country"] = country,
            ["region"] = country == "CN" ? CnRegions[_random.Next(CnRegions.Length)] : RuRegions[_random.Next(RuRegions.Length)],
        };
    }

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
