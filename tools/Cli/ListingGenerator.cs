using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Matching;

namespace Marketplace.Cli;

/// <summary>
/// Deterministic bilingual listings in the SCHEMA.md format for load tests and demos (not for
/// judging relevance): Chinese only, Russian only or both; every field, form and TRL. Written from
/// the shipped lexicon and glossary: a field's own terms with general materials, processes,
/// equipment, properties and applications, and figures with units, in sentences of both languages;
/// descriptions run 150–600 characters per language, as in the judged data sets.
/// </summary>
public sealed class ListingGenerator
{
    public const int MinDescription = 150;
    public const int MaxDescription = 600;

    readonly Random _random;
    readonly Dictionary<string, Term[]> _byField;
    readonly Term[] _materials, _processes, _equipment, _properties, _applications;

    /// <summary>A term with its Chinese and Russian headwords.</summary>
    readonly record struct Term(string Zh, string Ru);

    public ListingGenerator(IReadOnlyList<Concept> concepts, IReadOnlyList<LexiconEntry> lexicon, int seed)
    {
        _random = new Random(seed);
        // Headwords in their own script only: a Latin code (PLC, 5G) alone would make a title the API refuses.
        static bool Usable(string zh, string ru) =>
            zh.Length is >= 2 and <= 10 && zh.All(c => c is >= '\u4e00' and <= '\u9fff')
            && ru.Length is >= 3 and <= 40 && ru.All(c => c is >= '\u0400' and <= '\u04ff' or ' ' or '-') && ru.Any(char.IsLower);
        Term[] Area(string area) => lexicon.Where(e => e.Area == area && Usable(e.Zh[0], e.Ru[0])).Select(e => new Term(e.Zh[0], e.Ru[0])).ToArray();
        _byField = Taxonomy.FieldCodes.ToDictionary(f => f, f => Area("field-" + f)
            .Concat(concepts.Where(c => c.Field == f && Usable(c.ZhLabel, c.RuLabel)).Select(c => new Term(c.ZhLabel, c.RuLabel)))
            .DistinctBy(t => t.Zh).ToArray());
        _materials = Area("general-materials");
        _processes = Area("general-processes");
        _equipment = Area("general-machines").Concat(Area("general-instruments")).ToArray();
        _properties = Area("general-properties");
        _applications = Area("general-applications");
        var empty = _byField.Where(f => f.Value.Length == 0).Select(f => f.Key)
            .Concat(new[] { _materials, _processes, _equipment, _properties, _applications }.Any(a => a.Length == 0) ? ["general"] : []).ToList();
        if (empty.Count > 0) throw new ArgumentException($"The lexicon has no usable terms for: {string.Join(", ", empty)}.", nameof(lexicon));
    }

    /// <summary>The generator over the lexicon and glossary this tool ships with.</summary>
    public static ListingGenerator Shipped(int seed) => new(ShippedGlossary(), ShippedLexicon(), seed);

    public static IReadOnlyList<Concept> ShippedGlossary()
    {
        using var stream = typeof(ListingGenerator).Assembly.GetManifestResourceStream("glossary.tsv")!;
        using var reader = new StreamReader(stream);
        return GlossaryTsv.Parse(reader);
    }

    public static IReadOnlyList<LexiconEntry> ShippedLexicon()
    {
        var assembly = typeof(ListingGenerator).Assembly;
        var entries = new List<LexiconEntry>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("lexicon/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            entries.AddRange(LexiconTsv.Parse(reader, Path.GetFileNameWithoutExtension(name["lexicon/".Length..])));
        }
        return entries;
    }

    // Sentence pairs, the same statement in both languages. Slots: {T} {U} field terms, {M} material, {P} process,
    // {E} equipment, {Q} property, {A} application, {F} {G} figures. Russian names stand in the nominative,
    // after a dash or colon or in quotes, so that any term reads grammatically.
    static readonly (string Zh, string Ru)[] OfferSentences =
    [
        ("我单位研制的{T}采用{P}工艺，主要用于{A}。", "Разработка «{T}» выполнена по технологии «{P}»; область применения — {A}."),
        ("该{E}以{M}为主要材料，{Q}明显优于同类产品。", "Оборудование «{E}» изготовлено из материала «{M}»; показатель «{Q}» выше, чем у аналогов."),
        ("技术核心是{T}与{U}的集成，已完成中试验证。", "Основа решения — сочетание «{T}» и «{U}»; опытно-промышленные испытания пройдены."),
        ("主要技术参数：{F}，{G}。", "Основные параметры: {F}, {G}."),
        ("与传统{P}相比，能耗降低约三成，{Q}提高一倍。", "По сравнению с процессом «{P}» энергопотребление ниже примерно на треть, показатель «{Q}» выше вдвое."),
        ("可提供{E}成套设备及技术服务，适用于{A}。", "Поставляем комплект оборудования «{E}» с техническим сопровождением; применение — {A}."),
        ("产品已在{A}领域推广应用，拥有自主知识产权。", "Изделие применяется в области «{A}»; права защищены патентами."),
        ("关键部件{U}实现国产化，{Q}稳定可靠。", "Ключевой узел «{U}» производится локально; показатель «{Q}» стабилен."),
    ];

    static readonly (string Zh, string Ru)[] NeedSentences =
    [
        ("我公司需要{T}方面的成熟技术，重点解决{Q}问题。", "Требуется отработанная технология «{T}», прежде всего по показателю «{Q}»."),
        ("现有{E}依赖进口，希望引进{P}技术实现国产化。", "Оборудование «{E}» сейчас закупается по импорту; нужна технология «{P}» для локализации."),
        ("技术要求：{F}，{G}，并满足{A}的使用条件。", "Требования: {F}, {G}; условия эксплуатации — {A}."),
        ("寻求{T}和{U}领域的合作伙伴，用于{A}。", "Ищем партнёра по направлениям «{T}» и «{U}» для задач: {A}."),
        ("拟采用{M}替代现有材料，需要配套的{P}工艺。", "Планируем перейти на материал «{M}»; нужен соответствующий процесс «{P}»."),
        ("项目资金已落实，可采用技术许可或联合研发方式合作。", "Финансирование проекта есть; возможны лицензия или совместные НИОКР."),
        ("希望合作方提供{E}的设计、制造和调试服务。", "Нужен партнёр для проектирования, изготовления и наладки: {E}."),
    ];

    // Figures as each language writes them: the value, then the unit.
    static readonly (string Zh, string Ru, int[] Values)[] Figures =
    [
        ("千瓦", " кВт", [5, 15, 50, 110, 250, 500]), ("立方米/小时", " м³/ч", [10, 50, 100, 500, 2000]), ("兆帕", " МПа", [1, 4, 10, 25, 60]),
        ("毫米", " мм", [2, 8, 20, 150, 600]), ("纳米", " нм", [355, 532, 1064, 1550]), ("℃", " °C", [80, 200, 450, 900, 1200]),
        ("吨/小时", " т/ч", [1, 5, 20, 100]), ("安时", " А·ч", [50, 100, 280]), ("千伏", " кВ", [10, 35, 110]), ("%", "%", [85, 92, 95, 99]),
        ("微米", " мкм", [1, 5, 20, 50]), ("千克", " кг", [3, 25, 500, 2000]),
    ];

    static readonly string[] CnRegions = ["山东省", "江苏省", "广东省", "黑龙江省", "吉林省", "辽宁省", "浙江省", "湖北省", "四川省", "北京市", "上海市", "重庆市"];
    static readonly string[] RuRegions = ["Москва", "Санкт-Петербург", "Новосибирская область", "Свердловская область", "Татарстан", "Приморский край", "Хабаровский край", "Томская область", "Самарская область", "Амурская область"];

    /// <summary>The next listing as a SCHEMA.md object (with <c>ref</c>).</summary>
    public JsonObject Next(string reference, bool need)
    {
        var field = Taxonomy.Fields[_random.Next(Taxonomy.Fields.Count)].Code;
        var own = _byField[field];
        Term Pick(Term[] pool) => pool[_random.Next(pool.Length)];
        var main = Pick(own);
        var second = Pick(own);
        var equipment = Pick(_equipment);
        var languages = _random.Next(10) switch { < 4 => "zh", < 8 => "ru", _ => "both" };
        var zh = languages != "ru";
        var ru = languages != "zh";

        var sentences = need ? NeedSentences : OfferSentences;
        var zhText = new StringBuilder();
        var ruText = new StringBuilder();
        // Russian runs about twice as long as Chinese: a bilingual listing is filled until its Russian reaches the target, then its Chinese to the minimum.
        var target = MinDescription + _random.Next(MaxDescription - MinDescription + 1);
        for (var s = 0; s < 40; s++)
        {
            var (zhSentence, ruSentence) = Fill(sentences[_random.Next(sentences.Length)], s == 0 ? main : Pick(own), Pick(own));
            var lead = ru ? ruText : zhText;
            var next = ru ? ruSentence : zhSentence;
            var separator = ru && lead.Length > 0 ? 1 : 0;
            if (lead.Length >= target || lead.Length + separator + next.Length > MaxDescription) break;
            if (ru) ruText.Append(ruText.Length > 0 ? " " : "").Append(ruSentence);
            if (zh && zhText.Length + zhSentence.Length <= MaxDescription) zhText.Append(zhSentence);
        }
        for (var s = 0; zh && zhText.Length < MinDescription && s < 40; s++)
        {
            var (zhSentence, _) = Fill(sentences[_random.Next(sentences.Length)], Pick(own), Pick(own));
            if (zhText.Length + zhSentence.Length <= MaxDescription) zhText.Append(zhSentence);
        }

        var title = new JsonObject();
        var description = new JsonObject();
        var keywords = new JsonObject();
        if (zh)
        {
            title["zh"] = need ? main.Zh + "技术需求" : main.Zh + equipment.Zh;
            description["zh"] = zhText.ToString();
            keywords["zh"] = new JsonArray(main.Zh, second.Zh, equipment.Zh);
        }
        if (ru)
        {
            title["ru"] = need ? "Требуется технология: " + main.Ru : Capitalize(main.Ru) + ": " + equipment.Ru;
            description["ru"] = ruText.ToString();
            keywords["ru"] = new JsonArray(main.Ru, second.Ru, equipment.Ru);
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

    (string Zh, string Ru) Fill((string Zh, string Ru) sentence, Term t, Term u)
    {
        var slots = new Dictionary<string, Term>
        {
            ["T"] = t, ["U"] = u, ["M"] = _materials[_random.Next(_materials.Length)], ["P"] = _processes[_random.Next(_processes.Length)],
            ["E"] = _equipment[_random.Next(_equipment.Length)], ["Q"] = _properties[_random.Next(_properties.Length)],
            ["A"] = _applications[_random.Next(_applications.Length)],
        };
        var (f, g) = (Figure(), Figure());
        string Write(string template, Func<Term, string> name, Func<(string Zh, string Ru), string> figure)
        {
            var text = new StringBuilder(template);
            foreach (var (slot, term) in slots) text.Replace("{" + slot + "}", name(term));
            return text.Replace("{F}", figure(f)).Replace("{G}", figure(g)).ToString();
        }
        return (Write(sentence.Zh, x => x.Zh, x => x.Zh), Write(sentence.Ru, x => x.Ru, x => x.Ru));
    }

    (string Zh, string Ru) Figure()
    {
        var (zh, ru, values) = Figures[_random.Next(Figures.Length)];
        var value = values[_random.Next(values.Length)].ToString(CultureInfo.InvariantCulture);
        return (value + zh, value + ru);
    }

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
