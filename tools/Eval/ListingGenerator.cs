using Marketplace.Contracts;
using Marketplace.Matching;

namespace Marketplace.Eval;

/// <summary>
/// Deterministic bilingual listings built from glossary concepts and sentence templates: for load,
/// not for judging relevance.
/// </summary>
sealed class ListingGenerator(IReadOnlyList<Concept> concepts, int seed)
{
    readonly Random _random = new(seed);
    readonly Dictionary<string, List<Concept>> _byField = concepts
        .Where(c => c.Zh.Count > 0 && c.Ru.Count > 0)
        .GroupBy(c => Taxonomy.FieldCodes.Contains(c.Field) ? c.Field : "general")
        .ToDictionary(g => g.Key, g => g.ToList());

    static readonly string[] ZhTemplates =
    [
        "本项目采用{0}与{1}相结合的工艺，适用于{2}。",
        "我们开发了基于{0}的新型装置，关键部件包括{1}和{2}。",
        "该技术解决了{0}过程中的{1}问题，已在{2}领域应用。",
        "寻求{0}方面的合作伙伴，重点是{1}及{2}。",
    ];

    static readonly string[] RuTemplates =
    [
        "Проект сочетает {0} и {1} и предназначен для задач: {2}.",
        "Разработана установка на основе технологии «{0}»; ключевые узлы — {1} и {2}.",
        "Технология решает проблемы в области «{0}», включая {1}; применяется: {2}.",
        "Ищем партнёров по направлению «{0}», в первую очередь {1} и {2}.",
    ];

    public ListingRequest Next()
    {
        var fields = Taxonomy.Fields.Select(f => f.Code).Where(_byField.ContainsKey).ToList();
        var field = fields[_random.Next(fields.Count)];
        var pool = _byField[field].Concat(_byField.GetValueOrDefault("general") ?? []).ToList();
        var picked = Enumerable.Range(0, 6).Select(_ => pool[_random.Next(pool.Count)]).ToList();
        var languages = _random.Next(3); // 0: zh, 1: ru, 2: both
        string Zh(int t) => string.Format(ZhTemplates[t % ZhTemplates.Length], picked[t].ZhLabel, picked[t + 1].ZhLabel, picked[t + 2].ZhLabel);
        string Ru(int t) => string.Format(RuTemplates[t % RuTemplates.Length], picked[t].RuLabel, picked[t + 1].RuLabel, picked[t + 2].RuLabel);
        var zh = languages != 1;
        var ru = languages != 0;
        return new ListingRequest
        {
            Title = new LocalizedText
            {
                Zh = zh ? picked[0].ZhLabel + picked[1].ZhLabel : null,
                Ru = ru ? Capitalize(picked[0].RuLabel) + ": " + picked[1].RuLabel : null,
            },
            Description = new LocalizedText { Zh = zh ? Zh(0) + Zh(3) : null, Ru = ru ? Ru(0) + " " + Ru(3) : null },
            Field = field,
            Trl = 1 + _random.Next(9),
            CooperationForms = Taxonomy.CooperationForms.OrderBy(_ => _random.Next()).Take(1 + _random.Next(3)).Select(f => f.Code).ToList(),
            Country = ru && !zh ? "RU" : "CN",
        };
    }

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
