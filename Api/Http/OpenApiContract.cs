using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Microsoft.OpenApi;

namespace Marketplace.Api.Http;

/// <summary>
/// Makes the generated document say exactly what the server does, where the generator cannot know it:
/// the code sets as enums (with their zh/ru/en labels), the members a request must have, members a
/// response leaves out when they are null (the server omits nulls), <c>If-Match</c> and <c>ETag</c>,
/// and descriptions of the path ids. Runs last, over the finished document.
/// </summary>
static class OpenApiContract
{
    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        var schemas = document.Components.Schemas;
        foreach (var (name, schema) in schemas.ToList())
            if (schema is OpenApiSchema concrete) ApplySchema(document, name, concrete);
        foreach (var (path, item) in document.Paths ?? [])
            foreach (var (method, operation) in item.Operations ?? [])
                ApplyOperation(document, path, method, operation);
        // Every code set is one named schema that members and parameters refer to, so that a generated
        // client has one type per code set (not one per member).
        foreach (var set in CodeSets)
            if (!schemas.TryAdd(set.Name, new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. set.Codes.Select(c => (JsonNode)JsonValue.Create(c.Code))],
                    Description = WithLabels(set.Description, set.Codes, set.Name),
                }))
                throw new InvalidOperationException($"The code set {set.Name} has the name of a schema of the document.");
    }

    // ---- code sets ----

    static readonly (string Code, string Label)[] FieldCodes =
        [.. Taxonomy.Fields.Select(f => (f.Code, Labels(f.Label)))];
    static readonly (string Code, string Label)[] FormCodes =
        [.. Taxonomy.CooperationForms.Select(f => (f.Code, Labels(f.Label)))];
    static readonly (string Code, string Label)[] StatusCodes =
    [
        (ListingStatus.Published, "published · 已发布 · опубликовано"),
        (ListingStatus.Draft, "draft · 草稿 · черновик"),
        (ListingStatus.Archived, "archived · 已归档 · в архиве"),
    ];
    static readonly (string Code, string Label)[] StateCodes =
        [
            .. StatusCodes,
            (ListingStatus.Submitted, "submitted: waiting for a reviewer · 待审核 · на проверке"),
            (ListingStatus.Rejected, "rejected by a reviewer, with a reason; change it to submit it again · 已驳回 · отклонена"),
            (ListingStatus.Expired, "expired: published past its lifetime, renew it · 已过期 · срок истёк"),
        ];
    static readonly (string Code, string Label)[] DecisionCodes =
    [
        (ReviewDecision.Publish, "publish it · 通过 · опубликовать"),
        (ReviewDecision.Reject, "send it back with a reason · 驳回 · отклонить"),
    ];
    static readonly (string Code, string Label)[] KindCodes =
        [("offer", "technology offer · 技术供给 · предложение"), ("need", "technology need · 技术需求 · запрос")];
    static readonly (string Code, string Label)[] RoleCodes =
    [
        ("member", "writes its own organization's listings · 成员 · участник"),
        ("agency", "acts for organizations, runs match queries, curates the glossary · 中介机构 · посредник"),
        ("admin", "everything, keys and organizations · 管理员 · администратор"),
    ];
    static readonly (string Code, string Label)[] IpStatusCodes =
        [("none", "none"), ("pending", "applied for"), ("granted", "granted"), ("know-how", "know-how")];
    static readonly (string Code, string Label)[] IndexStatusCodes =
        [("indexed", "searchable and matchable"), ("pending", "stored; the search engine catches up")];
    static readonly (string Code, string Label)[] TargetCodes =
        [("offers", "the body is a need; offers are matched"), ("needs", "the body is an offer; needs are matched")];
    static readonly (string Code, string Label)[] OriginCodes =
        [("shipped", "came with the product"), ("curated", "added or changed through the API")];
    static readonly (string Code, string Label)[] OrganizationTypeCodes =
        [.. Taxonomy.OrganizationTypes.Select(t => (t.Code, Labels(t.Label)))];
    static readonly (string Code, string Label)[] LanguageCodes =
        [("zh", "Chinese · 中文 · китайский"), ("ru", "Russian · 俄文 · русский"), ("en", "English · 英文 · английский")];
    static readonly (string Code, string Label)[] CountryCodes = [.. Countries.Codes.Order().Select(c => (c, ""))];

    static string Labels(LocalizedText label) => $"{label.En} · {label.Zh} · {label.Ru}";

    /// <summary>A code set, served as one named string enum.</summary>
    sealed record CodeSetSchema(string Name, string Description, (string Code, string Label)[] Codes);

    static readonly CodeSetSchema Field = new("FieldCode", "A technology field of the taxonomy · 技术领域 · область техники.", FieldCodes);
    static readonly CodeSetSchema Form = new("CooperationForm", "A form of cooperation · 合作方式 · форма сотрудничества.", FormCodes);
    static readonly CodeSetSchema Country = new("CountryCode", "A country · 国家 · страна, as an ISO 3166-1 alpha-2 code (e.g. `CN`, `RU`).", CountryCodes);
    static readonly CodeSetSchema Status = new("ListingStatus", "A listing's status as a request sets it · 发布状态 · статус.", StatusCodes);
    static readonly CodeSetSchema State = new("ListingState", "Where a listing is in its life, as the server answers it · 条目状态 · состояние записи.", StateCodes);
    static readonly CodeSetSchema InterestState = new("InterestStatus", "Where an expression of interest stands · 意向状态 · состояние заявки.",
    [
        (InterestStatus.Pending, "pending: the listing's organization has not answered · 待答复 · ожидает ответа"),
        (InterestStatus.Accepted, "accepted: an introduction is open · 已接受 · принята"),
        (InterestStatus.Declined, "declined, with a reason · 已谢绝 · отклонена"),
    ]);
    static readonly CodeSetSchema IntroductionState = new("IntroductionStatus", "Where an introduction stands · 对接状态 · состояние знакомства.",
    [
        (IntroductionStatus.Introduced, "introduced: both sides see each other's contact · 已对接 · знакомство состоялось"),
        (IntroductionStatus.Negotiating, "negotiating · 洽谈中 · переговоры"),
        (IntroductionStatus.Agreement, "agreement: a form of cooperation agreed on a date · 已签约 · соглашение"),
        (IntroductionStatus.Closed, "closed, with a reason · 已终止 · закрыто"),
    ]);
    static readonly CodeSetSchema Decision = new("ReviewDecision", "A reviewer's decision on a submitted listing · 审核结论 · решение по проверке.", DecisionCodes);
    static readonly CodeSetSchema IpStatus = new("IpStatus", "The state of a listing's intellectual property · 知识产权状态 · статус интеллектуальной собственности.", IpStatusCodes);
    static readonly CodeSetSchema Kind = new("ListingKind", "Whether a listing offers a technology or looks for one · 类型 · вид.", KindCodes);
    static readonly CodeSetSchema Role = new("KeyRole", "What an API key may do · 角色 · роль.", RoleCodes);
    static readonly CodeSetSchema IndexState = new("ListingIndexStatus", "Whether the search engine has caught up with a stored listing · 索引状态 · состояние индекса.", IndexStatusCodes);
    static readonly CodeSetSchema Target = new("MatchTarget", "Which listings an ad-hoc match looks for · 匹配对象 · что подбирать.", TargetCodes);
    static readonly CodeSetSchema Origin = new("TermOrigin", "Where a glossary or lexicon entry comes from · 来源 · источник.", OriginCodes);
    static readonly CodeSetSchema Language = new("LanguageCode", "A language · 语言 · язык.", LanguageCodes);
    static readonly CodeSetSchema OrganizationType = new("OrganizationType", "A kind of organization · 机构类型 · тип организации.", OrganizationTypeCodes);
    static readonly CodeSetSchema EventType = new("EventType", "A kind of event · 事件类型 · тип события.",
    [
        (EventTypes.MatchFound, "a new or changed listing of the other kind matches one of the organization's at or above its threshold · 发现匹配 · найдено соответствие"),
        (EventTypes.ListingReviewed, "a reviewer published or rejected a listing · 条目已审核 · запись проверена"),
        (EventTypes.ListingExpiring, "a published listing expires soon · 条目即将过期 · срок записи истекает"),
        (EventTypes.InterestReceived, "another organization is interested in a listing · 收到合作意向 · получена заявка"),
        (EventTypes.InterestAnswered, "an interest was accepted or declined · 合作意向已答复 · ответ на заявку"),
        (EventTypes.IntroductionChanged, "an introduction opened or moved · 对接状态变更 · изменилось знакомство"),
        (EventTypes.RecommendationReceived, "an agency recommended a partner · 收到推荐 · получена рекомендация"),
        (EventTypes.MatchDigest, "a daily subscription's match.found of the day, in one · 每日匹配汇总 · сводка соответствий за день"),
    ]);
    static readonly CodeSetSchema Delivery = new("AlertDelivery", "How match alerts are delivered · 推送方式 · способ доставки.",
        [(AlertDelivery.Immediate, "each event as it happens · 实时 · сразу"), (AlertDelivery.Daily, "match.found once a day in one match.digest · 每日汇总 · раз в день")]);
    static readonly CodeSetSchema DeliveryState = new("DeliveryStatus", "Where a webhook delivery stands · 推送状态 · состояние доставки.",
    [
        (DeliveryStatus.Pending, "waiting for its first or next attempt · 待推送 · ожидает"),
        (DeliveryStatus.Delivered, "the receiver answered 2xx · 已送达 · доставлено"),
        (DeliveryStatus.Failed, "every attempt failed within the retry window; redeliver it on demand · 推送失败 · не доставлено"),
    ]);
    static readonly CodeSetSchema DisabledReason = new("WebhookDisabledReason", "Why a webhook is disabled · 停用原因 · причина отключения.",
        [("failing", "it failed for the configured time without one success · 持续失败 · постоянные сбои"), ("owner", "its owner paused it · 手动停用 · приостановлен владельцем")]);
    static readonly CodeSetSchema[] CodeSets = [Field, Form, Country, Status, State, Decision, InterestState, IntroductionState, IpStatus, Kind, Role, IndexState, Target, Origin, Language, OrganizationType, EventType, Delivery, DeliveryState, DisabledReason];

    /// <summary>The code set of a member, by schema and member name; null when the member is free text.</summary>
    static CodeSetSchema? CodeSet(string schema, string member) => (schema, member) switch
    {
        (_, "cooperationForms" or "form") => Form,
        ("GlossaryTermRequest" or "GlossaryTermResponse", "field") => null, // a field code or "general"
        (_, "field") => Field,
        (_, "country") => Country,
        ("ListingRequest" or "MatchRequest", "status") => Status,
        ("ListingResponse", "status") or ("ListingReview", "decision") => State,
        ("ReviewRequest", "decision") => Decision,
        ("InterestResponse", "status") or ("RecommendationResponse", "status" or "needAnswer" or "offerAnswer") => InterestState,
        ("RecommendationAnswer", "side") => Kind,
        ("IntroductionResponse" or "IntroductionTransition" or "IntroductionEvent" or "IntroductionChange", "status") => IntroductionState,
        ("EventResponse", "type") or ("DeliveryResponse", "eventType") or ("SubscriptionRequest" or "SubscriptionResponse" or "WebhookRequest" or "WebhookResponse", "types")
            or ("query", "type") => EventType,
        ("SubscriptionRequest" or "SubscriptionResponse", "delivery") => Delivery,
        ("DeliveryResponse", "status") or ("query", "status") => DeliveryState,
        ("WebhookResponse", "disabledReason") => DisabledReason,
        ("IpInfo", "status") => IpStatus,
        ("ListingResponse" or "ListingSummary" or "ParkedListing", "kind") or ("query", "kind") => Kind,
        ("ApiKeyRequest" or "ApiKeyResponse" or "CreatedApiKeyResponse", "role") => Role,
        (_, "indexStatus") => IndexState,
        ("MatchRequest", "target") => Target,
        ("GlossaryTermResponse" or "LexiconEntryResponse", "origin") => Origin,
        ("query", "lang") => Language,
        ("OrganizationRequest" or "OrganizationResponse", "languages") => Language,
        ("OrganizationRequest" or "OrganizationResponse", "type") => OrganizationType,
        _ => null,
    };

    /// <summary>What a request must hold (the validator answers a localized 400 naming the member otherwise).</summary>
    static readonly Dictionary<string, string[]> RequiredInRequests = new()
    {
        ["ListingRequest"] = ["title", "description", "field", "trl", "cooperationForms", "country"],
        ["MatchRequest"] = ["title", "description", "field", "trl", "cooperationForms", "country", "target"],
        ["GlossaryTermRequest"] = ["field", "zh", "ru"],
        ["LexiconEntryRequest"] = ["area", "zh", "ru"],
        ["OrganizationRequest"] = ["name"],
        ["ApiKeyRequest"] = ["organizationId", "role"],
        ["ReviewRequest"] = ["decision"],
        ["InterestRequest"] = ["listingId", "message"],
        ["InterestAnswer"] = ["reason"],
        ["RecommendationRequest"] = ["needId", "offerId"],
        ["IntroductionTransition"] = ["status"],
        ["WebhookRequest"] = ["url"],
    };

    /// <summary>The problem members, described once for RFC 9457 problems and their validation form.</summary>
    static readonly Dictionary<string, string> ProblemMembers = new()
    {
        ["type"] = "A URI naming the kind of problem.",
        ["title"] = "A short summary of the problem, in the language of Accept-Language (zh, ru, en).",
        ["status"] = "The HTTP status code.",
        ["detail"] = "What went wrong in this request, in the language of Accept-Language (zh, ru, en).",
        ["instance"] = "The request the problem is about.",
        ["errors"] = "For a validation problem: each refused member by its JSON path (e.g. `title.zh`) with its localized messages.",
        ["traceId"] = "The request's trace id (W3C traceparent), to quote when asking for support.",
    };

    static void ApplySchema(OpenApiDocument document, string name, OpenApiSchema schema)
    {
        if (schema.Properties is null) return;
        if (name is "ProblemDetails" or "HttpValidationProblemDetails")
        {
            // RFC 9457 problems are extensible; every one the server writes carries the request's trace id.
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
            schema.Properties.TryAdd("traceId", new OpenApiSchema { Type = JsonSchemaType.String });
            schema.Description ??= name == "ProblemDetails"
                ? "RFC 9457 problem details; title and detail follow Accept-Language (zh, ru, en)."
                : "RFC 9457 problem details of a refused request body or parameter, with each refused member named in `errors`.";
            foreach (var (member, property) in schema.Properties)
                if (property is OpenApiSchema value && ProblemMembers.TryGetValue(member, out var text)) value.Description ??= text;
            // Kiota makes a problem an exception; this makes the localized detail its Message.
            if (schema.Properties.TryGetValue("detail", out var detail) && detail is OpenApiSchema detailSchema)
            {
                detailSchema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
                detailSchema.Extensions["x-ms-primary-error-message"] = new JsonNodeExtension(JsonValue.Create(true));
            }
        }
        var isRequest = name.EndsWith("Request", StringComparison.Ordinal);
        if (isRequest && RequiredInRequests.TryGetValue(name, out var required))
        {
            schema.Required ??= new HashSet<string>();
            foreach (var member in required)
            {
                schema.Required.Add(member);
                if (!schema.Properties.TryGetValue(member, out var property) || property is not OpenApiSchema value) continue;
                // Null is refused like a missing member: a required member is not nullable.
                if (value.Type is { } type) value.Type = type & ~JsonSchemaType.Null;
                if (value.OneOf is { Count: 2 } choices && choices.SingleOrDefault(o => o.Type != JsonSchemaType.Null) is { } only
                    && choices.Any(o => o.Type == JsonSchemaType.Null))
                    schema.Properties[member] = only;
            }
        }
        foreach (var (member, property) in schema.Properties.ToList())
        {
            if (property is not OpenApiSchema value) continue;
            // A nullable object member is "oneOf: [null, {$ref, description}]": its description belongs to the member.
            if (string.IsNullOrEmpty(value.Description) && value.OneOf?.FirstOrDefault(o => o.Type != JsonSchemaType.Null) is { Description: { Length: > 0 } text })
                value.Description = text;
            if (CodeSet(name, member) is { } set && RefersTo(document, value, set) is { } replaced) schema.Properties[member] = replaced;
        }
        // The server omits null members from what it writes: a member that may be null may be absent.
        if (!isRequest && schema.Required is { Count: > 0 })
            foreach (var (member, property) in schema.Properties)
                if (AllowsNull(property)) schema.Required.Remove(member);
    }

    static bool AllowsNull(IOpenApiSchema schema) =>
        schema.Type is { } type && type.HasFlag(JsonSchemaType.Null)
        || schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) == true
        || schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Null) == true;

    /// <summary>
    /// A string member (or an array's string items) of a code set, as a reference to the code set's schema
    /// with the member's own description; a nullable member is "null or the code set". Anything else, such as
    /// the facet counts by code, is left alone (null).
    /// </summary>
    static IOpenApiSchema? RefersTo(OpenApiDocument document, OpenApiSchema schema, CodeSetSchema set)
    {
        if (schema.Type is { } arrayType && arrayType.HasFlag(JsonSchemaType.Array))
        {
            if (schema.Items is not OpenApiSchema { Type: { } itemType } || !itemType.HasFlag(JsonSchemaType.String)) return null;
            schema.Items = new OpenApiSchemaReference(set.Name, document);
            return schema;
        }
        if (schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String)) return null;
        if (!type.HasFlag(JsonSchemaType.Null)) return new OpenApiSchemaReference(set.Name, document) { Description = schema.Description };
        return new OpenApiSchema
        {
            OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference(set.Name, document)],
            Description = schema.Description,
        };
    }

    static string? WithLabels(string? description, (string Code, string Label)[] codes, string member)
    {
        if (codes.Length == 0) return description;
        var labels = codes.Any(c => c.Label.Length > 0)
            ? "Codes: " + string.Join("; ", codes.Select(c => $"`{c.Code}` ({c.Label})")) + "."
            : member == "country" ? "Codes: ISO 3166-1 alpha-2." : "";
        if (labels.Length == 0 || description?.Contains("Codes:", StringComparison.Ordinal) == true
            || member == "country" && description?.Contains("ISO 3166", StringComparison.Ordinal) == true) return description;
        if (string.IsNullOrEmpty(description)) return labels;
        description = description.TrimEnd();
        return description + (description.EndsWith('.') ? " " : ". ") + labels;
    }

    // ---- operations ----

    /// <summary>Resources whose reads carry an ETag and whose changes honour If-Match.</summary>
    static readonly (string Prefix, string Noun)[] Versioned =
    [
        ("/api/v1/offers/{id}", "offer"), ("/api/v1/needs/{id}", "need"),
        ("/api/v1/glossary/{id}", "glossary term pair"), ("/api/v1/lexicon/{id}", "lexicon entry"),
        ("/api/v1/organizations/{id}", "organization's profile"),
    ];

    static readonly Dictionary<string, string> PathIds = new()
    {
        ["/api/v1/offers/"] = "The offer's id, as the server assigned it (`of_…`) · 技术供给编号 · идентификатор предложения",
        ["/api/v1/needs/"] = "The need's id, as the server assigned it (`nd_…`) · 技术需求编号 · идентификатор запроса",
        ["/api/v1/organizations/"] = "The organization's id · 机构编号 · идентификатор организации",
        ["/api/v1/api-keys/"] = "The key's id (not the key itself) · 密钥编号 · идентификатор ключа",
        ["/api/v1/glossary/"] = "The term pair's id · 术语编号 · идентификатор термина",
        ["/api/v1/lexicon/"] = "The entry's id, `<area>:<Chinese headword>` · 词条编号 · идентификатор словарной статьи",
        ["/api/v1/webhooks/"] = "The webhook endpoint's id (`whk_…`) · 回调地址编号 · идентификатор вебхука",
        ["/api/v1/events/"] = "The event's id (`evt_…`), the webhook-id of its deliveries · 事件编号 · идентификатор события",
    };

    static void ApplyOperation(OpenApiDocument document, string path, HttpMethod method, OpenApiOperation operation)
    {
        ProblemExamples.Apply(document, path, method, operation);
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            if (parameter.In == ParameterLocation.Path && parameter.Name == "id" && string.IsNullOrEmpty(parameter.Description))
                parameter.Description = path.Contains("/clients", StringComparison.Ordinal)
                    ? "The agency's organization id · 中介机构编号 · идентификатор посредника"
                    : PathIds.FirstOrDefault(p => path.StartsWith(p.Key, StringComparison.Ordinal)).Value ?? "The resource's id";
            if (parameter.In == ParameterLocation.Path && parameter.Name == "clientId" && string.IsNullOrEmpty(parameter.Description))
                parameter.Description = "The client organization's id · 服务对象编号 · идентификатор клиента";
            if (parameter.In == ParameterLocation.Path && parameter.Name == "organizationId" && string.IsNullOrEmpty(parameter.Description))
                parameter.Description = PathIds["/api/v1/organizations/"];
            if (parameter.In == ParameterLocation.Path && parameter.Name == "deliveryId" && string.IsNullOrEmpty(parameter.Description))
                parameter.Description = "The delivery's id (`dlv_…`) · 推送记录编号 · идентификатор доставки";
            if (parameter.In == ParameterLocation.Query && parameter.Schema is OpenApiSchema schema
                // The glossary's field filter also takes `general`: its codes are the glossary's, not the taxonomy's.
                && CodeSet(path.StartsWith("/api/v1/glossary", StringComparison.Ordinal) ? "GlossaryTermRequest" : "query", parameter.Name!) is { } set
                && RefersTo(document, schema, set) is { } replaced)
            {
                parameter.Schema = replaced;
                parameter.Description = WithLabels(parameter.Description, set.Codes, parameter.Name!);
            }
        }

        // The item itself, or its collection for a creation (POST answers the created item with its ETag).
        var versioned = Versioned.FirstOrDefault(v => path == v.Prefix || method == HttpMethod.Post && path == v.Prefix[..^"/{id}".Length]);
        // A renewal is a change of the item: If-Match in, ETag out.
        var renewal = method == HttpMethod.Post && path.EndsWith("/{id}/renew", StringComparison.Ordinal);
        if (renewal) versioned = Versioned.FirstOrDefault(v => path.StartsWith(v.Prefix, StringComparison.Ordinal));
        if (versioned.Prefix is null) return;
        if (method == HttpMethod.Put || method == HttpMethod.Delete || renewal)
        {
            operation.Parameters ??= [];
            if (!operation.Parameters.Any(p => p.Name == "If-Match"))
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = "If-Match",
                    In = ParameterLocation.Header,
                    Required = false,
                    Description = $"The ETag of the {versioned.Noun} as last read (e.g. `\"3\"`): the change is made only if it is still the current version, else 412. Absent or `*`: any version.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                });
        }
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status is not ("200" or "201") || response is not OpenApiResponse concrete) continue;
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers.TryAdd("ETag", new OpenApiHeader
            {
                Description = $"The {versioned.Noun}'s version, quoted (e.g. `\"3\"`): send it back in If-Match to change it safely.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}
