using System.Globalization;

namespace Marketplace.Api.Http;

/// <summary>
/// Every text a client reads in an error, in English, Chinese and Russian. The request's
/// <c>Accept-Language</c> picks the language (request localization sets the UI culture).
/// </summary>
public static class Messages
{
    public const string Required = nameof(Required);
    public const string TitleLanguage = nameof(TitleLanguage);
    public const string DescriptionLanguage = nameof(DescriptionLanguage);
    public const string ChineseScript = nameof(ChineseScript);
    public const string RussianScript = nameof(RussianScript);
    public const string ControlCharacters = nameof(ControlCharacters);
    public const string TooLong = nameof(TooLong);
    public const string TooMany = nameof(TooMany);
    public const string UnknownCode = nameof(UnknownCode);
    public const string TrlRange = nameof(TrlRange);
    public const string CountryCode = nameof(CountryCode);
    public const string Duplicate = nameof(Duplicate);
    public const string Empty = nameof(Empty);
    public const string UnknownMember = nameof(UnknownMember);
    public const string BadValue = nameof(BadValue);
    public const string BadJson = nameof(BadJson);
    public const string BadJsonLine = nameof(BadJsonLine);
    public const string LineTooLong = nameof(LineTooLong);
    public const string TooManyRequests = nameof(TooManyRequests);
    public const string TooManyTitle = nameof(TooManyTitle);
    public const string NdjsonMediaType = nameof(NdjsonMediaType);
    public const string BodyTooLarge = nameof(BodyTooLarge);
    public const string TooLargeTitle = nameof(TooLargeTitle);
    public const string BadParameter = nameof(BadParameter);
    public const string ParameterNotNumber = nameof(ParameterNotNumber);
    public const string NotAnAgency = nameof(NotAnAgency);
    public const string NotRenewable = nameof(NotRenewable);
    public const string NotSubmitted = nameof(NotSubmitted);
    public const string OwnListing = nameof(OwnListing);
    public const string SameOrganization = nameof(SameOrganization);
    public const string PeriodOrder = nameof(PeriodOrder);
    public const string NotPublished = nameof(NotPublished);
    public const string NotOwnListing = nameof(NotOwnListing);
    public const string OwnerAnswers = nameof(OwnerAnswers);
    public const string AlreadyAnswered = nameof(AlreadyAnswered);
    public const string ReasonNeeded = nameof(ReasonNeeded);
    public const string CannotMove = nameof(CannotMove);
    public const string MessageLanguage = nameof(MessageLanguage);
    public const string CurrencyNeeded = nameof(CurrencyNeeded);
    public const string NotReviewer = nameof(NotReviewer);
    public const string PrivateTarget = nameof(PrivateTarget);
    public const string UnresolvedTarget = nameof(UnresolvedTarget);
    public const string UnknownEventType = nameof(UnknownEventType);
    public const string Threshold = nameof(Threshold);
    public const string ReasonRequired = nameof(ReasonRequired);
    public const string OwnClient = nameof(OwnClient);
    public const string WebAddress = nameof(WebAddress);
    public const string EmailAddress = nameof(EmailAddress);
    public const string PhoneNumber = nameof(PhoneNumber);
    public const string ContactReach = nameof(ContactReach);
    public const string ParameterNotBoolean = nameof(ParameterNotBoolean);
    public const string ParameterBadValue = nameof(ParameterBadValue);
    public const string BadCursor = nameof(BadCursor);
    public const string ValidationTitle = nameof(ValidationTitle);
    public const string ValidationDetail = nameof(ValidationDetail);
    public const string ValidationReadDetail = nameof(ValidationReadDetail);
    public const string NoSuchRoute = nameof(NoSuchRoute);
    public const string MethodNotAllowed = nameof(MethodNotAllowed);
    public const string JsonMediaType = nameof(JsonMediaType);
    public const string MethodTitle = nameof(MethodTitle);
    public const string BadRequestTitle = nameof(BadRequestTitle);
    public const string UnauthorizedTitle = nameof(UnauthorizedTitle);
    public const string UnauthorizedDetail = nameof(UnauthorizedDetail);
    public const string InvalidKeyDetail = nameof(InvalidKeyDetail);
    public const string ForbiddenTitle = nameof(ForbiddenTitle);
    public const string ForbiddenDetail = nameof(ForbiddenDetail);
    public const string OtherOrganization = nameof(OtherOrganization);
    public const string NotFoundTitle = nameof(NotFoundTitle);
    public const string NotFoundDetail = nameof(NotFoundDetail);
    public const string ConflictTitle = nameof(ConflictTitle);
    public const string ExternalRefTaken = nameof(ExternalRefTaken);
    public const string GlossaryNameTaken = nameof(GlossaryNameTaken);
    public const string LexiconFormTaken = nameof(LexiconFormTaken);
    public const string UnknownLexiconArea = nameof(UnknownLexiconArea);
    public const string PreconditionTitle = nameof(PreconditionTitle);
    public const string PreconditionDetail = nameof(PreconditionDetail);
    public const string UnsupportedMediaTitle = nameof(UnsupportedMediaTitle);
    public const string ServerErrorTitle = nameof(ServerErrorTitle);
    public const string ServerErrorDetail = nameof(ServerErrorDetail);
    public const string ErrorTitle = nameof(ErrorTitle);
    public const string SearchUnavailable = nameof(SearchUnavailable);
    public const string UnavailableTitle = nameof(UnavailableTitle);

    static readonly Dictionary<string, (string En, string Zh, string Ru)> Texts = new()
    {
        [Required] = ("'{0}' is required.", "必须填写“{0}”。", "Поле «{0}» обязательно."),
        [TitleLanguage] = ("A title is required in Chinese (zh) or Russian (ru).", "标题至少需要中文（zh）或俄文（ru）之一。", "Нужен заголовок на китайском (zh) или русском (ru) языке."),
        [DescriptionLanguage] = ("A description is required in every language of the title ({0}).", "标题所用的每种语言（{0}）都需要描述。", "Описание нужно на каждом языке заголовка ({0})."),
        [ChineseScript] = ("A Chinese (zh) text must be written mostly in Chinese characters.", "中文（zh）文本必须以汉字为主。", "Текст на китайском (zh) должен быть написан в основном иероглифами."),
        [RussianScript] = ("A Russian (ru) text must be written mostly in Cyrillic letters.", "俄文（ru）文本必须以西里尔字母为主。", "Текст на русском (ru) должен быть написан в основном кириллицей."),
        [ControlCharacters] = ("Control characters (such as NUL) and unpaired surrogates are not allowed.", "不允许包含控制字符（如 NUL）或不成对的代理字符。", "Управляющие символы (например, NUL) и непарные суррогаты не допускаются."),
        [TooLong] = ("At most {0} characters.", "最多 {0} 个字符。", "Не более {0} символов."),
        [TooMany] = ("At most {0} items.", "最多 {0} 项。", "Не более {0} элементов."),
        [UnknownCode] = ("'{0}' is not a known code; see GET /api/v1/taxonomy.", "“{0}”不是有效代码，请参阅 GET /api/v1/taxonomy。", "«{0}» — неизвестный код; см. GET /api/v1/taxonomy."),
        [TrlRange] = ("TRL must be between 1 and 9.", "技术成熟度（TRL）必须在 1 到 9 之间。", "Уровень готовности (TRL) должен быть от 1 до 9."),
        [CountryCode] = ("Use an ISO 3166-1 alpha-2 country code such as CN or RU.", "请使用 ISO 3166-1 两位国家代码，如 CN 或 RU。", "Укажите код страны ISO 3166-1 alpha-2, например CN или RU."),
        [Duplicate] = ("'{0}' is listed twice.", "“{0}”重复出现。", "«{0}» указано дважды."),
        [Empty] = ("Must not be empty.", "不能为空。", "Не может быть пустым."),
        [UnknownMember] = ("Unknown member '{0}'.", "未知字段“{0}”。", "Неизвестное поле «{0}»."),
        [BadValue] = ("The value has the wrong type or format.", "值的类型或格式不正确。", "Значение имеет неверный тип или формат."),
        [BadJson] = ("The body is not valid JSON.", "请求体不是有效的 JSON。", "Тело запроса не является корректным JSON."),
        [BadJsonLine] = ("The line is not valid JSON.", "该行不是有效的 JSON。", "Строка не является корректным JSON."),
        [LineTooLong] = ("A line may hold at most {0} KB; this one is longer and was skipped.", "每行最多 {0} KB；此行超出限制，已跳过。", "Строка может занимать не более {0} КБ; эта длиннее и пропущена."),
        [NdjsonMediaType] = ("Send one JSON listing per line as application/x-ndjson.", "请以 application/x-ndjson 格式发送，每行一个 JSON 条目。", "Отправляйте по одной записи JSON в строке, тип application/x-ndjson."),
        [TooManyRequests] = ("Too many requests from this key or address; retry in {0} s.", "该密钥或地址的请求过多，请在 {0} 秒后重试。", "Слишком много запросов с этого ключа или адреса; повторите через {0} с."),
        [TooManyTitle] = ("Too many requests.", "请求过多。", "Слишком много запросов."),
        [BodyTooLarge] = ("The body is larger than {0} KB. Send many listings as NDJSON to the bulk endpoint.", "请求体超过 {0} KB。批量条目请以 NDJSON 发送到批量导入接口。", "Тело запроса больше {0} КБ. Много записей отправляйте в формате NDJSON на адрес массовой загрузки."),
        [TooLargeTitle] = ("Content too large.", "内容过大。", "Слишком большой объём данных."),
        [BadParameter] = ("A parameter of the request is invalid: {0}", "请求参数无效：{0}", "Неверный параметр запроса: {0}"),
        [BadCursor] = ("The cursor is not one this API issued.", "游标无效，不是本接口返回的游标。", "Курсор не был выдан этим API."),
        [ValidationTitle] = ("One or more fields are invalid.", "一个或多个字段无效。", "Одно или несколько полей заполнены неверно."),
        [ValidationDetail] = ("See 'errors' for each field; nothing was stored.", "各字段的问题见“errors”；未保存任何内容。", "Ошибки по полям см. в «errors»; ничего не сохранено."),
        [ValidationReadDetail] = ("See 'errors' for each parameter.", "各参数的问题见“errors”。", "Ошибки по параметрам см. в «errors»."),
        [NoSuchRoute] = ("There is no such address in this API; see /openapi/v1.json.", "本接口没有此地址，请参阅 /openapi/v1.json。", "В этом API нет такого адреса; см. /openapi/v1.json."),
        [MethodNotAllowed] = ("This address does not take this method; see /openapi/v1.json.", "此地址不支持该请求方法，请参阅 /openapi/v1.json。", "Этот адрес не принимает такой метод; см. /openapi/v1.json."),
        [JsonMediaType] = ("Send the body as application/json (the bulk addresses take application/x-ndjson).", "请以 application/json 发送请求体（批量导入接口使用 application/x-ndjson）。", "Отправляйте тело как application/json (адреса массовой загрузки принимают application/x-ndjson)."),
        [MethodTitle] = ("Method not allowed.", "不支持的请求方法。", "Метод не поддерживается."),
        [BadRequestTitle] = ("The request is invalid.", "请求无效。", "Некорректный запрос."),
        [UnauthorizedTitle] = ("An API key is required.", "需要 API 密钥。", "Требуется API-ключ."),
        [UnauthorizedDetail] = ("Send a valid key in the X-Api-Key header.", "请在 X-Api-Key 请求头中提供有效密钥。", "Передайте действующий ключ в заголовке X-Api-Key."),
        [InvalidKeyDetail] = ("The key in X-Api-Key is unknown or revoked.", "X-Api-Key 中的密钥不存在或已被吊销。", "Ключ в X-Api-Key неизвестен или отозван."),
        [ForbiddenTitle] = ("Not allowed.", "无权执行此操作。", "Действие запрещено."),
        [ForbiddenDetail] = ("This key's role does not allow this call.", "该密钥的角色不允许此操作。", "Роль этого ключа не допускает этот вызов."),
        [OtherOrganization] = ("This listing belongs to another organization.", "该条目属于其他机构。", "Эта запись принадлежит другой организации."),
        [NotFoundTitle] = ("Not found.", "未找到。", "Не найдено."),
        [NotFoundDetail] = ("No {0} with id '{1}'.", "不存在 id 为“{1}”的{0}。", "Не найдено: {0} с id «{1}»."),
        [NotRenewable] = ("Only a published or expired listing can be renewed; this one is {0}.", "只有已发布或已过期的条目可以续期；该条目当前为{0}。", "Продлить можно только опубликованную или просроченную запись; эта запись — {0}."),
        [NotSubmitted] = ("Only a submitted listing can be reviewed; this one is {0}.", "只有待审核的条目可以审核；该条目当前为{0}。", "Проверить можно только запись, поданную на проверку; эта запись — {0}."),
        [NotReviewer] = ("Only the agency that serves the listing's organization, or an admin, reviews its listings.", "只有为该机构服务的中介机构或管理员可以审核其条目。", "Записи организации проверяет только обслуживающий её посредник или администратор."),
        [ReasonRequired] = ("A rejection needs a reason in at least one of zh, ru or en.", "驳回须填写理由（中文、俄文或英文至少一种）。", "Для отклонения нужна причина хотя бы на одном языке: zh, ru или en."),
        [PeriodOrder] = ("from must be before to.", "from 必须早于 to。", "from должно быть раньше to."),
        [SameOrganization] = ("The need and the offer belong to the same organization; recommend partners from two.", "该需求与该供给属于同一机构；请推荐两家不同机构。", "Запрос и предложение принадлежат одной организации; рекомендуйте партнёров из двух разных."),
        [OwnListing] = ("An organization cannot express interest in its own listing.", "机构不能对自己的条目表达合作意向。", "Организация не может заявить интерес к собственной записи."),
        [NotPublished] = ("Interest can be expressed only in a published listing; this one is {0}.", "只能对已发布的条目表达合作意向；该条目当前为{0}。", "Заявить интерес можно только к опубликованной записи; эта запись — {0}."),
        [NotOwnListing] = ("ownListingId must be a listing of the interested organization.", "ownListingId 必须是表达意向的机构自己的条目。", "ownListingId должен быть записью заинтересованной организации."),
        [OwnerAnswers] = ("Only the listing's organization, or the agency that serves it, answers an interest.", "只有条目所属机构或为其服务的中介机构可以答复合作意向。", "На заявку отвечает только организация — владелец записи или обслуживающий её посредник."),
        [AlreadyAnswered] = ("Only a pending interest can be answered; this one is {0}.", "只有待答复的合作意向可以答复；该意向当前为{0}。", "Ответить можно только на ожидающую заявку; эта заявка — {0}."),
        [ReasonNeeded] = ("Give a reason in at least one of zh, ru or en.", "请填写理由（中文、俄文或英文至少一种）。", "Укажите причину хотя бы на одном языке: zh, ru или en."),
        [CannotMove] = ("The introduction is {0}; it cannot become {1}.", "该对接当前为{0}，不能变更为{1}。", "Знакомство сейчас в состоянии «{0}» и не может перейти в «{1}»."),
        [MessageLanguage] = ("A message needs text in zh or ru.", "留言须包含中文或俄文内容。", "В сообщении нужен текст на zh или ru."),
        [CurrencyNeeded] = ("A value needs its currency as an ISO 4217 code, e.g. CNY, RUB or USD.", "金额须注明 ISO 4217 货币代码，例如 CNY、RUB 或 USD。", "Для суммы укажите валюту кодом ISO 4217, например CNY, RUB или USD."),
        [NotAnAgency] = ("Organization '{0}' is not of type agency; change its type first.", "机构“{0}”的类型不是中介机构，请先修改其类型。", "Организация «{0}» не является посреднической; сначала измените её тип."),
        [OwnClient] = ("An agency cannot be its own client.", "中介机构不能以自身为服务对象。", "Посредник не может быть собственным клиентом."),
        [WebAddress] = ("Give an absolute http or https address, e.g. https://example.org.", "请填写以 http 或 https 开头的完整网址，例如 https://example.org。", "Укажите полный адрес http или https, например https://example.org."),
        [PrivateTarget] = ("'{0}' is a loopback, private or link-local address; webhooks are sent to public addresses only.", "“{0}”是回环、私有或链路本地地址；回调只能发送到公网地址。", "«{0}» — адрес обратной петли, частной или локальной сети; вебхуки отправляются только на публичные адреса."),
        [UnresolvedTarget] = ("The host '{0}' cannot be resolved.", "无法解析主机“{0}”。", "Не удаётся разрешить имя хоста «{0}»."),
        [UnknownEventType] = ("'{0}' is not an event type; the types are: {1}.", "“{0}”不是事件类型；可用类型：{1}。", "«{0}» — не тип события; типы: {1}."),
        [Threshold] = ("The threshold is a match score from 0 to 1.", "阈值为 0 到 1 之间的匹配分数。", "Порог — оценка соответствия от 0 до 1."),
        [EmailAddress] = ("Not an e-mail address.", "电子邮箱地址无效。", "Неверный адрес электронной почты."),
        [PhoneNumber] = ("Give the phone number with digits, spaces, brackets or hyphens, e.g. +86 531 8888 0000.", "电话号码只能包含数字、空格、括号或连字符，例如 +86 531 8888 0000。", "Укажите номер цифрами, с пробелами, скобками или дефисами, например +7 383 000-00-00."),
        [ContactReach] = ("A contact needs an e-mail or a phone.", "联系方式须包含电子邮箱或电话。", "В контактах нужен адрес электронной почты или телефон."),
        [ParameterNotNumber] = ("'{0}' is not a whole number.", "“{0}”不是整数。", "«{0}» — не целое число."),
        [ParameterNotBoolean] = ("'{0}' is neither true nor false.", "“{0}”既不是 true 也不是 false。", "«{0}» — не true и не false."),
        [ParameterBadValue] = ("'{0}' is not a valid value here.", "“{0}”不是此处的有效值。", "«{0}» — недопустимое значение."),
        [ConflictTitle] = ("Conflict.", "冲突。", "Конфликт."),
        [ExternalRefTaken] = ("Another listing of this organization already uses externalRef '{0}'.", "本机构的另一条目已使用 externalRef“{0}”。", "Другая запись этой организации уже использует externalRef «{0}»."),
        [GlossaryNameTaken] = ("The Chinese name '{0}' already belongs to concept {1}; change that concept or choose another name.", "中文名称“{0}”已属于概念 {1}；请修改该概念或使用其他名称。", "Китайское название «{0}» уже принадлежит понятию {1}; измените это понятие или выберите другое название."),
        [LexiconFormTaken] = ("The Chinese form '{0}' already has an entry in this area ({1}); change that entry instead.", "中文词形“{0}”在该领域已有词条（{1}），请修改该词条。", "Для китайской формы «{0}» в этой области уже есть статья ({1}); измените её."),
        [UnknownLexiconArea] = ("'{0}' is not a lexicon area; the areas are: {1}.", "“{0}”不是词典领域；可用领域：{1}。", "«{0}» — не область словаря; области: {1}."),
        [PreconditionTitle] = ("The listing has changed.", "该条目已被修改。", "Запись была изменена."),
        [PreconditionDetail] = ("If-Match names version {0}, the current version is {1}; read it again and retry.", "If-Match 指定的版本为 {0}，当前版本为 {1}；请重新读取后再试。", "If-Match указывает версию {0}, текущая версия {1}; прочитайте запись заново и повторите."),
        [UnsupportedMediaTitle] = ("Unsupported media type.", "不支持的媒体类型。", "Неподдерживаемый тип содержимого."),
        [ServerErrorTitle] = ("Internal error.", "服务器内部错误。", "Внутренняя ошибка."),
        [ServerErrorDetail] = ("The error was logged.", "错误已记录。", "Ошибка записана в журнал."),
        [SearchUnavailable] = ("The search engine does not answer; writes are kept and indexed when it is back. Retry shortly.", "搜索引擎暂时无响应；写入已保存，恢复后将自动索引。请稍后重试。", "Поисковый движок не отвечает; записи сохранены и будут проиндексированы после его восстановления. Повторите позже."),
        [UnavailableTitle] = ("Temporarily unavailable.", "服务暂时不可用。", "Временно недоступно."),
        [ErrorTitle] = ("The request failed.", "请求失败。", "Запрос не выполнен."),
    };

    /// <summary>The text of <paramref name="key"/> in the current UI language, formatted with <paramref name="args"/>.</summary>
    public static string Get(string key, params object?[] args)
    {
        var template = InCurrentLanguage(Texts[key]);
        return args.Length == 0 ? template : string.Format(CultureInfo.InvariantCulture, template, args);
    }

    /// <summary>The resources a 404 names, in each language.</summary>
    static readonly Dictionary<string, (string En, string Zh, string Ru)> Nouns = new()
    {
        ["offer"] = ("offer", "技术供给", "предложение"),
        ["need"] = ("need", "技术需求", "запрос"),
        ["organization"] = ("organization", "机构", "организация"),
        ["api key"] = ("API key", "API 密钥", "API-ключ"),
        ["glossary term"] = ("glossary term pair", "术语对", "пара терминов"),
        ["lexicon entry"] = ("lexicon entry", "词条", "словарная статья"),
        ["agency client"] = ("agency client", "服务对象", "клиент посредника"),
        ["listing"] = ("listing", "条目", "запись"),
        ["interest"] = ("interest", "合作意向", "заявка"),
        ["introduction"] = ("introduction", "对接", "знакомство"),
        ["recommendation"] = ("recommendation", "推荐", "рекомендация"),
        ["webhook"] = ("webhook", "回调地址", "вебхук"),
        ["delivery"] = ("delivery", "推送记录", "доставка"),
        ["event"] = ("event", "事件", "событие"),
    };

    static readonly Dictionary<string, (string En, string Zh, string Ru)> StatusNames = new()
    {
        ["published"] = ("published", "已发布", "опубликована"),
        ["draft"] = ("a draft", "草稿", "черновик"),
        ["archived"] = ("archived", "已归档", "в архиве"),
        ["expired"] = ("expired", "已过期", "просрочена"),
        ["submitted"] = ("submitted for review", "待审核", "на проверке"),
        ["rejected"] = ("rejected", "已驳回", "отклонена"),
        ["pending"] = ("pending", "待答复", "ожидает ответа"),
        ["accepted"] = ("accepted", "已接受", "принята"),
        ["declined"] = ("declined", "已谢绝", "отклонена"),
        ["introduced"] = ("introduced", "已对接", "знакомство состоялось"),
        ["negotiating"] = ("negotiating", "洽谈中", "переговоры"),
        ["agreement"] = ("an agreement", "已签约", "соглашение"),
        ["closed"] = ("closed", "已终止", "закрыто"),
    };

    /// <summary>A listing status in the current UI language, as the 409s of transitions name it.</summary>
    public static string StatusName(string status) =>
        StatusNames.TryGetValue(status, out var name) ? InCurrentLanguage(name) : status;

    /// <summary>The name of a kind of resource in the current UI language (the kind itself when it has none).</summary>
    public static string Noun(string kind) =>
        Nouns.TryGetValue(kind, out var noun) ? InCurrentLanguage(noun) : kind;

    /// <summary>The text of the request's UI language (Accept-Language): Chinese, Russian, else English.</summary>
    static string InCurrentLanguage((string En, string Zh, string Ru) text) => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName switch
    {
        "zh" => text.Zh,
        "ru" => text.Ru,
        _ => text.En,
    };

    /// <summary>The localized title of a problem with this status code.</summary>
    public static string TitleFor(int status) => Get(status switch
    {
        400 => BadRequestTitle,
        401 => UnauthorizedTitle,
        403 => ForbiddenTitle,
        404 => NotFoundTitle,
        405 => MethodTitle,
        409 => ConflictTitle,
        412 => PreconditionTitle,
        413 => TooLargeTitle,
        429 => TooManyTitle,
        415 => UnsupportedMediaTitle,
        503 => UnavailableTitle,
        >= 500 => ServerErrorTitle,
        _ => ErrorTitle,
    });
}
