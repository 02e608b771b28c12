using System.Text.Json.Nodes;
using Marketplace.Api.Auth;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Marketplace.Api.Http;

/// <summary>The OpenAPI document: bilingual descriptions, the API-key scheme on the calls that need it, zh/ru examples.</summary>
public static class OpenApiSetup
{
    const string SchemeName = "ApiKey";

    public static IServiceCollection AddMarketplaceOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Marketplace API · 中俄技术对接平台 · Платформа технологического сотрудничества",
                    Version = "v1",
                    Description = """
                        Technology offers and needs in Chinese and Russian, full-text search in both languages, and matching.
                        中俄双语技术供给与需求的发布、检索与对接。
                        Публикация, поиск и подбор технологических предложений и запросов на китайском и русском языках.

                        Writes need an `X-Api-Key`; reads of published listings are open. Errors are `application/problem+json`
                        in the language of `Accept-Language` (zh, ru, en).
                        """,
                    License = new OpenApiLicense { Name = "Proprietary", Url = new Uri("https://example.org/marketplace/license") },
                    Contact = new OpenApiContact { Name = "Marketplace", Email = "support@example.org" },
                };
                // The server is the host the document was fetched from; OpenAPI wants it without a trailing slash.
                foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
                document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeys.Header,
                    Description = "API key · API 密钥 · API-ключ",
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas.TryAdd("ProblemDetails", ProblemSchema());
                OpenApiContract.Apply(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
                    });
                    operation.Responses ??= new OpenApiResponses();
                    operation.Responses.TryAdd("401", Problem("No valid X-Api-Key · 缺少有效密钥 · Нет действующего ключа"));
                    operation.Responses.TryAdd("403", Problem("The key's role or organization does not allow this · 无权操作 · Нет прав"));
                }
                else
                {
                    // Open to anonymous callers; a key is still read (drafts of one's own organization), and one that is unknown or revoked is refused.
                    operation.Responses ??= new OpenApiResponses();
                    operation.Responses.TryAdd("401", Problem("The X-Api-Key sent is unknown or revoked (send none to read anonymously) · 密钥无效 · Недействительный ключ"));
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement());
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
                    });
                }
                if (context.Description.ParameterDescriptions.Any(p => p.Name is "id" or "organizationId" && p.Source.Id == "Path"))
                {
                    operation.Responses ??= new OpenApiResponses();
                    operation.Responses.TryAdd("404", Problem("Not found · 未找到 · Не найдено"));
                }
                operation.Responses ??= new OpenApiResponses();
                // ParameterGuard refuses a parameter with control characters before the handler runs.
                if (context.Description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Path"))
                    // A validation problem naming the parameter (ParameterGuard, or a value that does not parse).
                    operation.Responses.TryAdd("400", Problem("A parameter is invalid · 参数无效 · Неверный параметр", "HttpValidationProblemDetails"));
                if (operation.RequestBody is not null)
                {
                    operation.Responses.TryAdd("413", Problem("The body is over 1 MB, or a bulk line over 256 KB · 内容过大 · Слишком большой объём"));
                    operation.Responses.TryAdd("415", Problem("The body is not of the declared media type (application/json; NDJSON for bulk) · 内容类型不支持 · Неподдерживаемый тип содержимого"));
                }
                operation.Responses.TryAdd("429", TooManyRequests());
                // Searches and matches read the engine; while it does not answer they are refused (writes are kept).
                var path = context.Description.RelativePath?.TrimEnd('/') ?? "";
                if (context.Description.HttpMethod is "GET" && path is "api/v1/offers" or "api/v1/needs"
                    || path.EndsWith("/matches", StringComparison.Ordinal) || path == "api/v1/match" || path == "api/v1/admin/reindex")
                    operation.Responses[StatusCodes.Status503ServiceUnavailable.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ServiceUnavailable();
                // Swagger UI pre-fills "Try it out" from the media-type example: a Russian offer, a Chinese need.
                if (operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true
                    && context.Description.ParameterDescriptions.Any(p => p.Type == typeof(ListingRequest)))
                    media.Example = (context.Description.RelativePath?.StartsWith("api/v1/needs") == true ? NeedExample : ListingExample).DeepClone();
                var method = context.Description.HttpMethod;
                if (method is "PUT" or "DELETE" && operation.Responses is not null && context.Description.RelativePath?.EndsWith("{id}") == true
                    && (context.Description.RelativePath.StartsWith("api/v1/offers") || context.Description.RelativePath.StartsWith("api/v1/needs")
                        || context.Description.RelativePath.StartsWith("api/v1/glossary") || context.Description.RelativePath.StartsWith("api/v1/lexicon")
                        || context.Description.RelativePath.StartsWith("api/v1/organizations"))
                    || method is "POST" && context.Description.RelativePath?.EndsWith("{id}/renew") == true
                    || method is "POST" && context.Description.RelativePath?.EndsWith("{id}/review") == true
                    || method is "POST" && context.Description.RelativePath?.StartsWith("api/v1/interests/{id}/") == true
                    || method is "POST" && context.Description.RelativePath?.StartsWith("api/v1/recommendations/{id}/") == true
                    || method is "POST" && context.Description.RelativePath?.EndsWith("{id}/transitions") == true
                    || method is "PUT" && context.Description.RelativePath == "api/v1/subscriptions/{organizationId}"
                    || method is "PUT" or "DELETE" && context.Description.RelativePath == "api/v1/webhooks/{id}"
                    || method is "POST" && context.Description.RelativePath is "api/v1/webhooks/{id}/enable" or "api/v1/webhooks/{id}/disable"
                        or "api/v1/webhooks/{id}/secret")
                    operation.Responses!.TryAdd("412", Problem("If-Match names an old version · 版本已过期 · Версия устарела"));
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(ListingRequest)) schema.Examples = [ListingExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(MatchResponse)) schema.Examples = [MatchExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(ListingResponse)) schema.Examples = [ListingResponseExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(OrganizationRequest)) schema.Examples = [OrganizationExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(ReviewRequest)) schema.Examples = [RejectionExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(InterestRequest)) schema.Examples = [InterestExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(InterestAnswer)) schema.Examples = [DeclineExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(RecommendationRequest)) schema.Examples = [RecommendationExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(RecommendationAnswer)) schema.Examples = [DeclineExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(InterestResponse)) schema.Examples = [InterestResponseExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(IntroductionResponse)) schema.Examples = [IntroductionResponseExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(IntroductionTransition)) schema.Examples = [AgreementExample.DeepClone()];
                if (context.JsonTypeInfo.Type == typeof(OrganizationResponse)) schema.Examples = [OrganizationResponseExample.DeepClone()];
                return Task.CompletedTask;
            });
        });

    static readonly (string Name, string Description)[] Tags =
    [
        ("Offers", "Technology supply · 技术供给 · Технологические предложения"),
        ("Needs", "Technology demand · 技术需求 · Технологические запросы"),
        ("Taxonomy", "Fields, cooperation forms, TRL · 分类体系 · Классификатор"),
        ("Reviews", "Listings waiting for a reviewer · 审核 · Проверка"),
        ("Interests", "Expressions of interest in a listing · 合作意向 · Заявки о заинтересованности"),
        ("Introductions", "Two organizations put in touch, to an agreement · 对接 · Знакомства"),
        ("Recommendations", "An agency recommends partners to both sides · 推荐 · Рекомендации"),
        ("Reports", "How cases progress · 统计报表 · Отчёты"),
        ("Events", "What happened, as a feed, and what each organization is alerted to · 事件与订阅 · События и подписки"),
        ("Webhooks", "Signed pushes of events to an organization's endpoints · 回调推送 · Вебхуки"),
        ("Organizations", "Enterprises and agencies · 机构 · Организации"),
        ("API keys", "Keys and roles · 密钥与角色 · Ключи и роли"),
        ("Glossary", "Concepts in both languages · 术语表 · Глоссарий"),
        ("Lexicon", "Words and their translations · 词典 · Словарь"),
        ("Matching", "Offers for needs and needs for offers · 匹配 · Подбор"),
        ("Admin", "Operations · 运维 · Администрирование"),
    ];

    static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details; title and detail follow Accept-Language (zh, ru, en).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        },
    };

    /// <summary>Every operation is rate-limited (Marketplace:RateLimits); the answer says when to come back.</summary>
    static OpenApiResponse TooManyRequests() =>
        WithRetryAfter(Problem("Too many requests from this key or address; retry after Retry-After seconds · 请求过多 · Слишком много запросов"));

    /// <summary>The search engine does not answer: come back after Retry-After.</summary>
    static OpenApiResponse ServiceUnavailable() =>
        WithRetryAfter(Problem("The search engine does not answer; retry after Retry-After seconds · 搜索引擎暂不可用 · Поиск временно недоступен"));

    static OpenApiResponse WithRetryAfter(OpenApiResponse response)
    {
        response.Headers = new Dictionary<string, IOpenApiHeader>
        {
            ["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before trying again · 重试前等待的秒数 · Сколько секунд подождать",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            },
        };
        return response;
    }

    static OpenApiResponse Problem(string description, string schema = "ProblemDetails") => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema) },
        },
    };

    static readonly JsonNode NeedExample = JsonNode.Parse("""
        {
          "externalRef": "cn-need-42",
          "title": { "zh": "矿山排水用高扬程潜水泵" },
          "description": { "zh": "我公司需要扬程不低于二百五十米的潜水泵，用于金属矿山井下排水，希望引进技术或合作生产。" },
          "keywords": { "zh": ["潜水泵", "矿山排水"] },
          "field": "transport-machinery",
          "trl": 6,
          "cooperationForms": ["licensing", "co-production"],
          "country": "CN",
          "region": "山东省"
        }
        """)!;

    /// <summary>A Chinese need's best match: a Russian-only offer, found through translation and the glossary.</summary>
    static readonly JsonNode MatchExample = JsonNode.Parse("""
        {
          "items": [
            {
              "rank": 1,
              "score": 0.8123,
              "listing": {
                "id": "of_01a227f31c337405a64393085d0b108d",
                "externalRef": "erp-4711",
                "kind": "offer",
                "organizationId": "org_uralnasos",
                "title": { "ru": "Погружной насос высокого напора" },
                "field": "transport-machinery",
                "trl": 8,
                "cooperationForms": ["licensing", "co-production"],
                "country": "RU"
              },
              "explanation": {
                "text": 0,
                "concepts": 0.6667,
                "compatibility": 1,
                "matchedTerms": {},
                "sharedConcepts": [ { "id": "tm-0069", "zh": "潜水泵", "ru": "погружной насос" } ],
                "conflicts": [],
                "translated": 0.7412,
                "translatedTerms": [
                  { "source": "潜水泵", "target": "погружной насос" },
                  { "source": "排水", "target": "водоотлив" }
                ],
                "figures": 0,
                "sharedFigures": []
              }
            }
          ]
        }
        """)!;

    static readonly JsonNode ListingExample = JsonNode.Parse("""
        {
          "externalRef": "erp-4711",
          "title": { "zh": "高扬程潜水泵", "ru": "Погружной насос высокого напора" },
          "description": {
            "zh": "适用于深井供水和矿山排水的高扬程潜水泵，扬程可达 300 米。",
            "ru": "Погружной насос высокого напора для водоснабжения из глубоких скважин и водоотлива шахт, напор до 300 м."
          },
          "keywords": { "zh": ["潜水泵", "深井泵"], "ru": ["погружной насос", "скважинный насос"] },
          "field": "transport-machinery",
          "trl": 8,
          "cooperationForms": ["licensing", "co-production"],
          "country": "RU",
          "region": "Новосибирская область",
          "ip": { "status": "granted", "patents": ["RU 2712345"] },
          "status": "published"
        }
        """)!;

    /// <summary>The Russian offer above as the server answers it: the request's members and what the server adds.</summary>
    static readonly JsonNode ListingResponseExample = ResponseOf(ListingExample, """
        {
          "id": "of_01a227f31c337405a64393085d0b108d",
          "kind": "offer",
          "organizationId": "org_uralnasos",
          "createdAt": "2026-11-29T08:15:00+00:00",
          "updatedAt": "2026-11-29T08:15:00+00:00",
          "version": 1,
          "indexStatus": "indexed"
        }
        """);

    /// <summary>A Russian enterprise's profile, as an admin creates it or the enterprise and its agency change it.</summary>
    /// <summary>A rejection, its reason in both languages the listing's readers use.</summary>
    static readonly JsonNode RejectionExample = JsonNode.Parse("""
        {
          "decision": "reject",
          "reason": {
            "zh": "请补充主要技术参数（流量、扬程、功率）及知识产权状态。",
            "ru": "Укажите основные технические характеристики (подача, напор, мощность) и статус интеллектуальной собственности."
          }
        }
        """)!;

    /// <summary>A Chinese enterprise writes to a Russian offer's owner in both languages.</summary>
    static readonly JsonNode InterestExample = JsonNode.Parse("""
        {
          "listingId": "of_0192a4c1e3b87d2f9a6c5e4b3a291807",
          "message": {
            "zh": "我公司希望引进贵方的大流量潜水泵技术，用于城市排涝项目，盼进一步洽谈许可条件。",
            "ru": "Наша компания хотела бы получить лицензию на ваш погружной насос большой подачи для городских дренажных систем и обсудить условия."
          }
        }
        """)!;

    /// <summary>An association puts a Chinese need and a Russian offer side by side.</summary>
    static readonly JsonNode RecommendationExample = JsonNode.Parse("""
        {
          "needId": "nd_0192a4c1e3b87d2f9a6c5e4b3a291808",
          "offerId": "of_0192a4c1e3b87d2f9a6c5e4b3a291807",
          "note": {
            "zh": "俄方潜水泵流量与扬程符合贵方排涝需求，且可提供许可。",
            "ru": "Подача и напор насоса соответствуют задаче городского дренажа; правообладатель готов к лицензированию."
          }
        }
        """)!;

    static readonly JsonNode InterestResponseExample = ResponseOf(InterestExample, """
        {
          "id": "int_0192a4c2f0a17c3e8b5d4c3b2a1f0e9d",
          "ownerOrganizationId": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2c",
          "organizationId": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2d",
          "status": "accepted",
          "introductionId": "itr_0192a4c3a1b27d4f9c6e5d4c3b2a1f0e",
          "version": 2,
          "createdBy": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2d",
          "createdAt": "2026-11-18T09:30:00Z",
          "answeredBy": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2c",
          "answeredAt": "2026-11-18T14:05:00Z"
        }
        """);

    /// <summary>A case followed to a licence: both sides with their contacts, and who moved it when.</summary>
    static readonly JsonNode IntroductionResponseExample = JsonNode.Parse("""
        {
          "id": "itr_0192a4c3a1b27d4f9c6e5d4c3b2a1f0e",
          "status": "agreement",
          "owner": {
            "organizationId": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2c",
            "name": { "ru": "Уральский насосный завод", "zh": "乌拉尔水泵厂" },
            "contact": { "person": "Иванов Сергей Петрович", "email": "ivanov@ural-pump.example.ru", "phone": "+7 343 000-00-00" },
            "listingId": "of_0192a4c1e3b87d2f9a6c5e4b3a291807"
          },
          "interested": {
            "organizationId": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2d",
            "name": { "zh": "淄博泵业有限公司", "ru": "Цзыбоская насосная компания" },
            "contact": { "person": "王伟", "email": "wang@zibo-pump.example.cn", "phone": "+86 533 0000 0000" },
            "listingId": "nd_0192a4c1e3b87d2f9a6c5e4b3a291808"
          },
          "interestId": "int_0192a4c2f0a17c3e8b5d4c3b2a1f0e9d",
          "agreement": { "form": "licensing", "signedOn": "2026-11-20", "value": 1500000, "currency": "CNY" },
          "history": [
            { "status": "introduced", "by": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2c", "at": "2026-11-18T14:05:00Z" },
            { "status": "negotiating", "by": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2d", "at": "2026-11-19T08:00:00Z" },
            { "status": "agreement", "by": "org_0192a4c1d2e37f4a9b8c7d6e5f4a3b2d", "at": "2026-11-20T10:30:00Z",
              "note": { "zh": "双方签署非独家许可合同。", "ru": "Стороны подписали неисключительный лицензионный договор." } }
          ],
          "version": 3,
          "createdAt": "2026-11-18T14:05:00Z"
        }
        """)!;

    static readonly JsonNode DeclineExample = JsonNode.Parse("""
        {
          "reason": {
            "zh": "该技术已独家许可给其他合作方。",
            "ru": "Технология уже передана по исключительной лицензии другому партнёру."
          }
        }
        """)!;

    static readonly JsonNode AgreementExample = JsonNode.Parse("""
        {
          "status": "agreement",
          "agreement": { "form": "licensing", "signedOn": "2026-11-20", "value": 1500000, "currency": "CNY" },
          "reason": { "zh": "双方签署非独家许可合同。", "ru": "Стороны подписали неисключительный лицензионный договор." }
        }
        """)!;

    static readonly JsonNode OrganizationExample = JsonNode.Parse("""
        {
          "name": { "ru": "Уральский насосный завод", "zh": "乌拉尔水泵厂", "en": "Ural Pump Works" },
          "country": "RU",
          "type": "enterprise",
          "region": "Свердловская область",
          "website": "https://uralnasos.example.ru",
          "languages": ["ru", "en"],
          "contact": { "person": "Иванов Сергей Петрович", "email": "export@uralnasos.example.ru", "phone": "+7 343 000-00-00" }
        }
        """)!;

    static readonly JsonNode OrganizationResponseExample = ResponseOf(OrganizationExample, """
        {
          "id": "org_uralnasos",
          "createdAt": "2026-11-29T08:00:00+00:00",
          "updatedAt": "2026-11-29T08:00:00+00:00",
          "version": 1
        }
        """);

    static JsonNode ResponseOf(JsonNode request, string added)
    {
        var response = request.DeepClone().AsObject();
        foreach (var (name, value) in JsonNode.Parse(added)!.AsObject()) response[name] = value?.DeepClone();
        return response;
    }
}
