namespace Marketplace.Contracts;

/// <summary>A code with its labels in Chinese, Russian and English and a one-line description.</summary>
/// <param name="Code">The code clients send, e.g. <c>new-materials</c> or <c>licensing</c>.</param>
/// <param name="Label">The code's name in <c>zh</c>, <c>ru</c> and <c>en</c>, e.g. 新材料 · Новые материалы · New materials.</param>
/// <param name="Description">What the code covers, one line in English.</param>
public sealed record TaxonomyEntry(string Code, LocalizedText Label, string Description);

/// <summary>One level of the technology readiness level · 技术成熟度 · уровень готовности технологии (TRL) scale.</summary>
/// <param name="Level">The level, 1-9: 1 basic principles observed, 9 proven in operation.</param>
/// <param name="Label">The level's name in <c>zh</c>, <c>ru</c> and <c>en</c>.</param>
/// <param name="Description">What the level means, one line in English.</param>
public sealed record TrlLevel(int Level, LocalizedText Label, string Description);

/// <summary>The taxonomy · 分类体系 · классификатор: the codes of <c>field</c> and <c>cooperationForms</c> and the TRL scale, with labels in zh, ru and en.</summary>
/// <param name="Fields">The 17 technology fields · 技术领域 · области техники: the codes of <c>field</c>.</param>
/// <param name="CooperationForms">The 10 cooperation forms · 合作方式 · формы сотрудничества: the codes of <c>cooperationForms</c>.</param>
/// <param name="Trl">The TRL scale, levels 1 to 9.</param>
public sealed record TaxonomyResponse(
    IReadOnlyList<TaxonomyEntry> Fields,
    IReadOnlyList<TaxonomyEntry> CooperationForms,
    IReadOnlyList<TrlLevel> Trl);

/// <summary>The codes clients send in <c>field</c>, <c>cooperationForms</c>, <c>status</c> and <c>ip.status</c>.</summary>
public static class Taxonomy
{
    static TaxonomyEntry E(string code, string zh, string ru, string en, string description) =>
        new(code, new LocalizedText { Zh = zh, Ru = ru, En = en }, description);

    /// <summary>The technology fields · 技术领域 · области техники a listing's <c>field</c> names.</summary>
    public static readonly IReadOnlyList<TaxonomyEntry> Fields =
    [
        E("new-materials", "新材料", "Новые материалы", "New materials", "Ceramics, composites, polymers, alloys and coatings with new properties."),
        E("biotech", "生物技术", "Биотехнологии", "Biotechnology", "Industrial microbiology, fermentation, enzymes and bioprocessing."),
        E("applied-chemistry", "应用化学", "Прикладная химия", "Applied chemistry", "Catalysts, chemical processes, reagents and fine chemicals."),
        E("genetic-engineering", "基因工程", "Генная инженерия", "Genetic engineering", "Genome editing, recombinant strains, molecular breeding and diagnostics."),
        E("mechatronics", "机电一体化", "Мехатроника", "Mechatronics", "Robots, drives, machine tools, sensors and industrial automation."),
        E("aerospace", "航空航天", "Авиация и космос", "Aerospace", "Aircraft, spacecraft, engines, satellites and their components."),
        E("information-technology", "信息技术", "Информационные технологии", "Information technology", "Software, data, artificial intelligence, networks and electronics."),
        E("lasers-optics", "激光与光学", "Лазеры и оптика", "Lasers and optics", "Lasers, optical materials, photonics and optical instruments."),
        E("new-energy", "新能源", "Новая энергетика", "New energy", "Solar, wind, hydrogen, batteries, storage and power electronics."),
        E("agriculture", "农业", "Сельское хозяйство", "Agriculture", "Crops, livestock, agricultural machinery and food processing."),
        E("medicine-pharma", "医药", "Медицина и фармацевтика", "Medicine and pharmaceuticals", "Drugs, medical devices, diagnostics and treatment methods."),
        E("environment", "环境保护", "Экология", "Environment", "Water and air treatment, waste processing, monitoring and remediation."),
        E("nuclear-instruments", "核技术与仪器", "Ядерные технологии и приборы", "Nuclear technology and instruments", "Reactors, isotopes, radiation detection and nuclear instrumentation."),
        E("welding-metallurgy", "焊接与冶金", "Сварка и металлургия", "Welding and metallurgy", "Welding, metal forming, smelting, casting and heat treatment."),
        E("transport-machinery", "交通运输机械", "Транспортное машиностроение", "Transport machinery", "Railway, road and heavy machinery, vehicles and their systems."),
        E("textiles-light-industry", "纺织与轻工", "Текстильная и лёгкая промышленность", "Textiles and light industry", "Fibres, fabrics, garments, leather, paper and consumer goods."),
        E("marine-instruments", "海洋仪器", "Морская техника и приборы", "Marine instruments", "Ships, underwater vehicles, oceanographic and navigation instruments."),
    ];

    /// <summary>The cooperation forms · 合作方式 · формы сотрудничества a listing's <c>cooperationForms</c> name.</summary>
    public static readonly IReadOnlyList<TaxonomyEntry> CooperationForms =
    [
        E("transfer", "技术转让", "Передача технологии", "Technology transfer", "Sale of the technology and its rights outright."),
        E("licensing", "技术许可", "Лицензирование", "Licensing", "A licence to use patents or know-how while the owner keeps them."),
        E("joint-rnd", "联合研发", "Совместные НИОКР", "Joint R&D", "Research and development carried out together."),
        E("joint-venture", "合资企业", "Совместное предприятие", "Joint venture", "A new company owned by the partners."),
        E("co-production", "合作生产", "Совместное производство", "Co-production", "Manufacturing together or under contract."),
        E("training", "人员培训", "Обучение персонала", "Training", "Training of engineers and operators."),
        E("consulting", "技术咨询", "Консалтинг", "Consulting", "Expert advice and feasibility studies."),
        E("technical-service", "技术服务", "Техническое обслуживание", "Technical service", "Installation, commissioning, maintenance and testing services."),
        E("equity", "股权投资", "Инвестиции в капитал", "Equity", "Investment in the equity of the technology owner."),
        E("joint-lab", "联合实验室", "Совместная лаборатория", "Joint laboratory", "A laboratory run together by the partners."),
    ];

    /// <summary>The technology readiness level · 技术成熟度 · уровень готовности технологии (TRL) scale, levels 1 to 9.</summary>
    public static readonly IReadOnlyList<TrlLevel> Trl =
    [
        new(1, new() { Zh = "基本原理被发现", Ru = "Выявлены базовые принципы", En = "Basic principles observed" }, "Scientific research begins to be translated into applied research."),
        new(2, new() { Zh = "形成技术概念", Ru = "Сформулирована концепция технологии", En = "Technology concept formulated" }, "Practical applications are invented; no experimental proof yet."),
        new(3, new() { Zh = "概念验证", Ru = "Экспериментальное подтверждение концепции", En = "Experimental proof of concept" }, "Analytical and laboratory studies validate the critical functions."),
        new(4, new() { Zh = "实验室环境验证", Ru = "Проверка в лабораторных условиях", En = "Validated in the laboratory" }, "Basic components are integrated and tested in the laboratory."),
        new(5, new() { Zh = "相关环境验证", Ru = "Проверка в условиях, близких к реальным", En = "Validated in a relevant environment" }, "Components are tested in a simulated realistic environment."),
        new(6, new() { Zh = "相关环境中演示", Ru = "Демонстрация прототипа в условиях, близких к реальным", En = "Demonstrated in a relevant environment" }, "A prototype system is demonstrated in a relevant environment."),
        new(7, new() { Zh = "实际环境中演示", Ru = "Демонстрация прототипа в реальных условиях", En = "Demonstrated in an operational environment" }, "A system prototype is demonstrated in operation."),
        new(8, new() { Zh = "系统完成并通过鉴定", Ru = "Система завершена и прошла испытания", En = "System complete and qualified" }, "The actual system is completed and qualified through tests."),
        new(9, new() { Zh = "实际运行验证", Ru = "Серийное применение", En = "Proven in operation" }, "The actual system is proven in operational use or series production."),
    ];

    /// <summary>The codes of <see cref="Fields"/>, accepted in <c>field</c>.</summary>
    public static readonly IReadOnlySet<string> FieldCodes = Fields.Select(f => f.Code).ToHashSet();
    /// <summary>The codes of <see cref="CooperationForms"/>, accepted in <c>cooperationForms</c> and the <c>form</c> filter.</summary>
    public static readonly IReadOnlySet<string> CooperationFormCodes = CooperationForms.Select(f => f.Code).ToHashSet();
    /// <summary>The listing statuses accepted in <c>status</c>: <c>published</c>, <c>draft</c>, <c>archived</c>.</summary>
    public static readonly IReadOnlySet<string> Statuses = new HashSet<string> { ListingStatus.Published, ListingStatus.Draft, ListingStatus.Archived };
    /// <summary>The intellectual property statuses accepted in <c>ip.status</c>: <c>none</c>, <c>pending</c> (applied for), <c>granted</c>, <c>know-how</c>.</summary>
    public static readonly IReadOnlySet<string> IpStatuses = new HashSet<string> { "none", "pending", "granted", "know-how" };
    /// <summary>The kinds of organization · 机构类型 · типы организаций, accepted in an organization's <c>type</c>.</summary>
    public static readonly IReadOnlyList<TaxonomyEntry> OrganizationTypes =
    [
        E("enterprise", "企业", "Предприятие", "Enterprise", "A company that offers or needs technology."),
        E("research-institute", "科研院所", "Научно-исследовательский институт", "Research institute", "A research institute or laboratory."),
        E("university", "高等院校", "Университет", "University", "A university or college."),
        E("agency", "中介机构", "Посредническая организация", "Agency", "An association, technology transfer centre or agency that serves other organizations."),
        E("government", "政府机构", "Орган государственной власти", "Government body", "A ministry, administration or development zone."),
    ];
    /// <summary>The codes of <see cref="OrganizationTypes"/>.</summary>
    public static readonly IReadOnlySet<string> OrganizationTypeCodes = OrganizationTypes.Select(t => t.Code).ToHashSet();
    /// <summary>The roles accepted in an API key's <c>role</c>: <c>member</c>, <c>agency</c>, <c>admin</c>.</summary>
    public static readonly IReadOnlySet<string> Roles = new HashSet<string> { "member", "agency", "admin" };
}

/// <summary>Where a listing is in its life: only <see cref="Published"/> listings are searched, matched and shown to everyone.</summary>
public static class ListingStatus
{
    /// <summary>Published · 已发布 · опубликовано: searched, matched and readable by everyone; the default.</summary>
    public const string Published = "published";
    /// <summary>Draft · 草稿 · черновик: stored, but visible only to its organization, the agencies that serve it and admins; not searched or matched.</summary>
    public const string Draft = "draft";
    /// <summary>Archived · 已归档 · в архиве: withdrawn (DELETE archives); visible only to its organization, the agencies that serve it and admins; not searched or matched.</summary>
    public const string Archived = "archived";
    /// <summary>Expired · 已过期 · срок истёк: published longer than its lifetime without a renewal; visible only to its organization, the agencies that serve it and admins; not searched or matched until renewed.</summary>
    public const string Expired = "expired";
    /// <summary>Submitted · 待审核 · на проверке: waiting for a reviewer (the agency that serves the organization, or an admin) where review is required; not searched or matched.</summary>
    public const string Submitted = "submitted";
    /// <summary>Rejected · 已驳回 · отклонена: a reviewer sent it back with a reason; changing it submits it again; not searched or matched.</summary>
    public const string Rejected = "rejected";
}

/// <summary>What a reviewer decides about a submitted listing.</summary>
public static class ReviewDecision
{
    /// <summary>Publish · 通过 · опубликовать.</summary>
    public const string Publish = "publish";
    /// <summary>Reject · 驳回 · отклонить, with a reason.</summary>
    public const string Reject = "reject";
    /// <summary>Every decision.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Publish, Reject };
}
