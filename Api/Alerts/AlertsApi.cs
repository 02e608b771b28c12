using System.ComponentModel;
using System.Globalization;
using Marketplace.Api.Auth;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
using Marketplace.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Marketplace.Api.Alerts;

/// <summary>
/// Push, not poll: the event feed, each organization's subscription, and webhook endpoints with
/// their deliveries. Every organization sees its own (an agency its clients' too, an admin all).
/// </summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder routes)
    {
        var events = routes.MapGroup("/api/v1/events").WithTags("Events").RequireAuthorization(Policies.Member);
        events.MapGet("/", Feed).WithName("ListEvents")
            .WithSummary("The event feed, oldest first, after a cursor · 事件流 · Лента событий")
            .WithDescription("The events of the organizations the caller acts for, in the order they happened (committed), after `after` (omit it for the oldest kept). Poll with the `next` of the last answer: nothing is skipped and nothing repeated. Events are kept for 30 days (`Marketplace:Events:RetentionDays`). The same events are pushed to webhooks.")
            .ProducesValidationProblem();
        events.MapGet("/{id}", GetEvent).WithName("GetEvent").WithSummary("Read one event · 查看事件 · Событие")
            .WithDescription("404 for an event of an organization the caller does not act for.");

        var subscriptions = routes.MapGroup("/api/v1/subscriptions").WithTags("Events").RequireAuthorization(Policies.Member);
        subscriptions.MapGet("/{organizationId}", GetSubscription).WithName("GetSubscription")
            .WithSummary("What an organization is alerted to · 订阅设置 · Подписка на события")
            .WithDescription("The organization's event types, match threshold and delivery; the defaults (all types, threshold 0.5, immediate) when it never set them. By the organization, its agencies and admins.");
        subscriptions.MapPut("/{organizationId}", PutSubscription).AddEndpointFilter<ValidationFilter<SubscriptionRequest>>().WithName("PutSubscription")
            .WithSummary("Set what an organization is alerted to · 设置订阅 · Настроить подписку")
            .WithDescription("Omitted members take their defaults. Only events of the chosen types are recorded and pushed; match.found is computed for organizations that set a subscription including it. Honours If-Match.")
            .ProducesValidationProblem();

        var webhooks = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Member);
        webhooks.MapPost("/", CreateWebhook).AddEndpointFilter<ValidationFilter<WebhookRequest>>().WithName("CreateWebhook")
            .WithSummary("Register a webhook endpoint · 注册回调地址 · Зарегистрировать вебхук")
            .WithDescription("For the key's organization, or a client of an agency key. The answer carries the signing secret (`whsec_…`) once: deliveries are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`). Loopback, private and link-local targets are refused (400).")
            .ProducesValidationProblem();
        webhooks.MapGet("/", ListWebhooks).WithName("ListWebhooks")
            .WithSummary("Webhook endpoints · 回调地址列表 · Вебхуки")
            .WithDescription("The endpoints of the organizations the caller acts for, newest first; secrets are never shown again.")
            .ProducesValidationProblem();
        webhooks.MapGet("/{id}", GetWebhook).WithName("GetWebhook").WithSummary("Read a webhook endpoint · 查看回调地址 · Вебхук")
            .WithDescription("404 for an endpoint of an organization the caller does not act for.");
        webhooks.MapPut("/{id}", ReplaceWebhook).AddEndpointFilter<ValidationFilter<WebhookRequest>>().WithName("ReplaceWebhook")
            .WithSummary("Change a webhook's URL, types or note · 修改回调地址 · Изменить вебхук")
            .WithDescription("The organization stays. Honours If-Match.")
            .ProducesValidationProblem();
        webhooks.MapDelete("/{id}", DeleteWebhook).WithName("DeleteWebhook").WithSummary("Remove a webhook endpoint · 删除回调地址 · Удалить вебхук")
            .WithDescription("With its deliveries. Honours If-Match.");
        webhooks.MapPost("/{id}/enable", (string id, HttpContext http, WebhookStore store, CancellationToken ct) => Switch(id, true, http, store, ct))
            .WithName("EnableWebhook").WithSummary("Enable a webhook again · 启用回调地址 · Включить вебхук")
            .WithDescription("After it was disabled for failing (or by its owner); its failures are forgotten and pending deliveries go out again. Honours If-Match.");
        webhooks.MapPost("/{id}/disable", (string id, HttpContext http, WebhookStore store, CancellationToken ct) => Switch(id, false, http, store, ct))
            .WithName("DisableWebhook").WithSummary("Pause a webhook · 停用回调地址 · Приостановить вебхук")
            .WithDescription("Nothing is sent until it is enabled again; events are still recorded and their deliveries wait. Honours If-Match.");
        webhooks.MapPost("/{id}/secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Rotate a webhook's signing secret · 更换签名密钥 · Сменить секрет вебхука")
            .WithDescription("A new secret, shown in this answer only; deliveries from now on are signed with it. Honours If-Match.");
        webhooks.MapGet("/{id}/deliveries", ListDeliveries).WithName("ListDeliveries")
            .WithSummary("A webhook's deliveries · 推送记录 · Доставки вебхука")
            .WithDescription("Newest first, with status, attempts, last HTTP status and error; `status` narrows to pending, delivered or failed.")
            .ProducesValidationProblem();
        webhooks.MapGet("/{id}/deliveries/{deliveryId}", GetDelivery).WithName("GetDelivery")
            .WithSummary("A delivery with every attempt · 推送详情 · Доставка и попытки")
            .WithDescription("Each attempt with its time, latency, HTTP status and error.");
        webhooks.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("Redeliver")
            .WithSummary("Send a delivery's event again · 重新推送 · Отправить повторно")
            .WithDescription("Queues the event again for this endpoint as a new delivery, due now, with the same `webhook-id` (202).");
        return routes;
    }

    // ---- events

    public static async Task<Results<Ok<EventFeed>, ValidationProblem>> Feed(HttpContext http, EventStore store,
        [Description("The `next` of the previous answer; omit it to start with the oldest event kept")] string? after,
        [Description("Only events of this type, e.g. match.found")] string? type,
        [Description("Only events of this organization (one the caller acts for)")] string? organizationId,
        [Description("At most this many events, 1-100, default 50")] int? limit, CancellationToken ct)
    {
        long from = 0;
        if (after is not null && (!long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
            return Problems.Validation("after", Messages.Get(Messages.BadCursor));
        if (limit is < 1 or > 100) return Problems.Validation("limit", Messages.Get(Messages.TooMany, 100));
        if (type is not null && !EventTypes.All.Contains(type) && type != EventTypes.MatchDigest)
            return Problems.Validation("type", Messages.Get(Messages.UnknownEventType, type, string.Join(", ", EventTypes.All)));
        var caller = Caller.From(http.User);
        IReadOnlyCollection<string>? scope = caller.IsAdmin ? null : caller.ActsFor;
        if (organizationId is not null) scope = caller.CanActFor(organizationId) ? [organizationId] : [];
        // Events committed a moment ago get their place now rather than at the dispatcher's next tick.
        await store.SequenceAsync(ct);
        var rows = await store.FeedAsync(scope, from, type, limit ?? 50, ct);
        return TypedResults.Ok(new EventFeed(rows.Select(r => r.ToResponse()).ToList(),
            (rows.Count > 0 ? rows[^1].Seq!.Value : from).ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Ok<EventResponse>, ProblemHttpResult>> GetEvent(string id, HttpContext http, EventStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } row && Caller.From(http.User).CanActFor(row.OrganizationId)
            ? TypedResults.Ok(row.ToResponse())
            : Problems.NotFound("event", id);

    // ---- subscriptions

    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult>> GetSubscription(string organizationId, HttpContext http,
        SubscriptionStore store, CancellationToken ct)
    {
        if (!Caller.From(http.User).CanActFor(organizationId)) return Problems.NotFound("organization", organizationId);
        if (await store.FindAsync(organizationId, ct) is not { } subscription) return Problems.NotFound("organization", organizationId);
        http.Response.Headers.ETag = $"\"{subscription.Version}\"";
        return TypedResults.Ok(subscription);
    }

    public static async Task<Results<Ok<SubscriptionResponse>, ProblemHttpResult, ValidationProblem>> PutSubscription(string organizationId,
        SubscriptionRequest body, HttpContext http, SubscriptionStore store, CancellationToken ct)
    {
        if (!Caller.From(http.User).CanActFor(organizationId)) return Problems.NotFound("organization", organizationId);
        if (await store.FindAsync(organizationId, ct) is not { } current) return Problems.NotFound("organization", organizationId);
        if (Preconditions.Stale(http, current.Version) is { } stale) return stale;
        var saved = await store.SaveAsync(organizationId, current.Version,
            body.Types?.Distinct().ToList() ?? EventTypes.All, body.Threshold ?? SubscriptionStore.DefaultThreshold, body.Delivery ?? AlertDelivery.Immediate, ct);
        if (saved is null) return Problems.PreconditionFailed($"\"{current.Version}\"", (await store.FindAsync(organizationId, ct))!.Version);
        http.Response.Headers.ETag = $"\"{saved.Version}\"";
        return TypedResults.Ok(saved);
    }

    // ---- webhooks

    public static async Task<Results<Created<WebhookResponse>, ProblemHttpResult, ValidationProblem>> CreateWebhook(WebhookRequest body, HttpContext http,
        WebhookStore store, WebhookOptions options, Listings.ListingStore listings, CancellationToken ct)
    {
        var caller = Caller.From(http.User);
        var organizationId = string.IsNullOrWhiteSpace(body.OrganizationId) ? caller.OrganizationId! : body.OrganizationId.Trim();
        if (!caller.CanActFor(organizationId)) return Problems.Forbidden(Messages.Get(Messages.OtherOrganization));
        if (!await listings.OrganizationExistsAsync(organizationId, ct))
            return Problems.Validation("organizationId", Messages.Get(Messages.NotFoundDetail, Messages.Noun("organization"), organizationId));
        var url = body.Url!.Trim();
        if (await WebhookTargets.ProblemAsync(url, options.AllowPrivateTargets, ct) is { } problem) return Problems.Validation("url", problem);
        var row = await store.AddAsync(organizationId, url, body.Types, Clean(body.Description), ct);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Created($"/api/v1/webhooks/{row.Id}", row.ToResponse(withSecret: true));
    }

    static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public static async Task<Results<Ok<Page<WebhookResponse>>, ValidationProblem>> ListWebhooks(HttpContext http, WebhookStore store,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        var caller = Caller.From(http.User);
        var (rows, total) = await store.ListAsync(caller.IsAdmin ? null : caller.ActsFor, offset, size, ct);
        return TypedResults.Ok(new Page<WebhookResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    /// <summary>An endpoint of an organization the caller acts for; null for anyone else, as if there were none.</summary>
    static async Task<WebhookRow?> VisibleAsync(string id, HttpContext http, WebhookStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } row && Caller.From(http.User).CanActFor(row.OrganizationId) ? row : null;

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(string id, HttpContext http, WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is not { } row) return Problems.NotFound("webhook", id);
        http.Response.Headers.ETag = row.ETag;
        return TypedResults.Ok(row.ToResponse());
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult, ValidationProblem>> ReplaceWebhook(string id, WebhookRequest body,
        HttpContext http, WebhookStore store, WebhookOptions options, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is not { } row) return Problems.NotFound("webhook", id);
        if (body.OrganizationId is { } organization && organization.Trim() != row.OrganizationId)
            return Problems.Validation("organizationId", Messages.Get(Messages.OtherOrganization));
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        var url = body.Url!.Trim();
        if (await WebhookTargets.ProblemAsync(url, options.AllowPrivateTargets, ct) is { } problem) return Problems.Validation("url", problem);
        var changed = await store.ChangeAsync(id, row.Version, url, body.Types, Clean(body.Description), ct);
        return Answer(http, row, changed, withSecret: false);
    }

    static Results<Ok<WebhookResponse>, ProblemHttpResult, ValidationProblem> Answer(HttpContext http, WebhookRow read, WebhookRow? changed, bool withSecret)
    {
        if (changed is null) return Problems.PreconditionFailed(read.ETag, read.Version + 1);
        http.Response.Headers.ETag = changed.ETag;
        return TypedResults.Ok(changed.ToResponse(withSecret));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(string id, HttpContext http, WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is not { } row) return Problems.NotFound("webhook", id);
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        return await store.DeleteAsync(id, row.Version, ct) ? TypedResults.NoContent() : Problems.PreconditionFailed(row.ETag, row.Version + 1);
    }

    static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult, ValidationProblem>> Switch(string id, bool enable, HttpContext http,
        WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is not { } row) return Problems.NotFound("webhook", id);
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        var changed = enable ? await store.EnableAsync(id, row.Version, ct) : await store.DisableAsync(id, row.Version, ct);
        return Answer(http, row, changed, withSecret: false);
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult, ValidationProblem>> RotateSecret(string id, HttpContext http,
        WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is not { } row) return Problems.NotFound("webhook", id);
        if (Preconditions.Stale(http, row.Version) is { } stale) return stale;
        var changed = await store.RotateSecretAsync(id, row.Version, ct);
        return Answer(http, row, changed, withSecret: true);
    }

    public static async Task<Results<Ok<Page<DeliveryResponse>>, ProblemHttpResult, ValidationProblem>> ListDeliveries(string id, HttpContext http,
        WebhookStore store,
        [Description("Only deliveries in this status: pending, delivered or failed")] string? status,
        [Description("The nextCursor of the previous page")] string? cursor,
        [Description("Page size, 1-100, default 20")] int? limit, CancellationToken ct)
    {
        if (Cursors.Page(cursor, limit, out var offset, out var size) is { } badPage) return badPage;
        if (status is not (null or DeliveryStatus.Pending or DeliveryStatus.Delivered or DeliveryStatus.Failed))
            return Problems.Validation("status", Messages.Get(Messages.UnknownCode, status));
        if (await VisibleAsync(id, http, store, ct) is null) return Problems.NotFound("webhook", id);
        var (rows, total) = await store.DeliveriesAsync(id, status, offset, size, ct);
        return TypedResults.Ok(new Page<DeliveryResponse>(rows.Select(r => r.ToResponse()).ToList(), Cursors.Next(offset, rows.Count, total), total));
    }

    public static async Task<Results<Ok<DeliveryResponse>, ProblemHttpResult>> GetDelivery(string id, string deliveryId, HttpContext http,
        WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is null) return Problems.NotFound("webhook", id);
        return await store.DeliveryAsync(id, deliveryId, ct) is { } found
            ? TypedResults.Ok(found.Row.ToResponse(found.Attempts))
            : Problems.NotFound("delivery", deliveryId);
    }

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Redeliver(string id, string deliveryId, HttpContext http,
        WebhookStore store, CancellationToken ct)
    {
        if (await VisibleAsync(id, http, store, ct) is null) return Problems.NotFound("webhook", id);
        if (await store.DeliveryAsync(id, deliveryId, ct) is not { } found) return Problems.NotFound("delivery", deliveryId);
        var queued = await store.RedeliverAsync(found.Row, ct);
        return TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries/{queued.Id}", queued.ToResponse());
    }
}
