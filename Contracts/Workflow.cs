namespace Marketplace.Contracts;

/// <summary>Where an expression of interest stands.</summary>
public static class InterestStatus
{
    /// <summary>Pending · 待答复 · ожидает ответа: the listing's organization has not answered.</summary>
    public const string Pending = "pending";
    /// <summary>Accepted · 已接受 · принят: an introduction is open.</summary>
    public const string Accepted = "accepted";
    /// <summary>Declined · 已谢绝 · отклонён, with a reason.</summary>
    public const string Declined = "declined";
}

/// <summary>Where an introduction stands: introduced → negotiating → agreement, or closed.</summary>
public static class IntroductionStatus
{
    /// <summary>Introduced · 已对接 · знакомство состоялось: both sides see each other's contact.</summary>
    public const string Introduced = "introduced";
    /// <summary>Negotiating · 洽谈中 · переговоры.</summary>
    public const string Negotiating = "negotiating";
    /// <summary>Agreement · 已签约 · соглашение: a form of cooperation agreed on a date.</summary>
    public const string Agreement = "agreement";
    /// <summary>Closed · 已终止 · закрыто, with a reason.</summary>
    public const string Closed = "closed";

    /// <summary>The states each state may move to; an agreement and a closed introduction are final.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> Next = new Dictionary<string, IReadOnlySet<string>>
    {
        [Introduced] = new HashSet<string> { Negotiating, Agreement, Closed },
        [Negotiating] = new HashSet<string> { Agreement, Closed },
        [Agreement] = new HashSet<string>(),
        [Closed] = new HashSet<string>(),
    };
}

/// <summary>An expression of interest · 合作意向 · заявка о заинтересованности in another organization's published listing.</summary>
public sealed record InterestRequest
{
    /// <summary>The published offer or need · 目标条目 · запись of another organization, e.g. <c>of_…</c>.</summary>
    public string? ListingId { get; init; }
    /// <summary>The interested organization; omit it for the key's own. An agency names its client here.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>One of the interested organization's own listings to put beside it, e.g. the need the offer answers; optional.</summary>
    public string? OwnListingId { get; init; }
    /// <summary>The message · 留言 · сообщение in zh and/or ru (en optional), each at most 2,000 characters.</summary>
    public LocalizedText? Message { get; init; }
}

/// <summary>The listing's organization answers an interest: accept (an introduction opens) or decline with a reason.</summary>
public sealed record InterestAnswer
{
    /// <summary>Why · 理由 · причина, in zh, ru and/or en, each at most 2,000 characters: required to decline, optional to accept.</summary>
    public LocalizedText? Reason { get; init; }
}

/// <summary>An expression of interest as stored.</summary>
/// <param name="Id">The id the server assigned, <c>int_…</c>.</param>
/// <param name="ListingId">The listing the interest is in.</param>
/// <param name="OwnerOrganizationId">The listing's organization, which answers.</param>
/// <param name="OrganizationId">The interested organization.</param>
/// <param name="OwnListingId">The interested organization's own listing put beside it; absent when none.</param>
/// <param name="Message">The message as written.</param>
/// <param name="Status"><c>pending</c>, <c>accepted</c> or <c>declined</c>.</param>
/// <param name="Reason">The owner's reason, when it gave one.</param>
/// <param name="IntroductionId">The introduction an acceptance opened; absent otherwise.</param>
/// <param name="Version">1 when created, raised by the answer; the ETag is this number quoted.</param>
/// <param name="CreatedBy">The organization whose key wrote it: the interested one, or the agency that serves it.</param>
/// <param name="CreatedAt">When it was expressed, UTC, ISO 8601.</param>
/// <param name="AnsweredBy">The organization whose key answered; absent while pending.</param>
/// <param name="AnsweredAt">When it was answered; absent while pending.</param>
public sealed record InterestResponse(
    string Id, string ListingId, string OwnerOrganizationId, string OrganizationId, string? OwnListingId, LocalizedText Message,
    string Status, LocalizedText? Reason, string? IntroductionId, long Version, string CreatedBy, DateTimeOffset CreatedAt,
    string? AnsweredBy, DateTimeOffset? AnsweredAt);

/// <summary>An agreement · 合作协议 · соглашение recorded on an introduction.</summary>
public sealed record AgreementTerms
{
    /// <summary>The form of cooperation: a code of GET /api/v1/taxonomy, e.g. <c>licensing</c>.</summary>
    public string? Form { get; init; }
    /// <summary>The day it was signed, <c>yyyy-MM-dd</c>.</summary>
    public DateOnly? SignedOn { get; init; }
    /// <summary>Its value, optional, e.g. 1500000.</summary>
    public decimal? Value { get; init; }
    /// <summary>The currency of the value, ISO 4217, e.g. <c>CNY</c>, <c>RUB</c>, <c>USD</c>; required with a value.</summary>
    public string? Currency { get; init; }
}

/// <summary>A move of an introduction to its next state.</summary>
public sealed record IntroductionTransition
{
    /// <summary><c>negotiating</c>, <c>agreement</c> (with <c>agreement</c>) or <c>closed</c> (with <c>reason</c>).</summary>
    public string? Status { get; init; }
    /// <summary>The agreement, required to move to <c>agreement</c>.</summary>
    public AgreementTerms? Agreement { get; init; }
    /// <summary>Why it closes (required to close), or a note on another move; zh, ru and/or en, each at most 2,000 characters.</summary>
    public LocalizedText? Reason { get; init; }
}

/// <summary>One side of an introduction, with its contact (both sides see each other's).</summary>
/// <param name="OrganizationId">The organization.</param>
/// <param name="Name">Its name in the languages it was given in.</param>
/// <param name="Contact">Its contact; absent when the organization gave none.</param>
/// <param name="ListingId">Its listing in the case: the listing of interest for the owner, the one put beside it for the other side; absent when none.</param>
public sealed record IntroductionParty(string OrganizationId, LocalizedText Name, OrganizationContact? Contact, string? ListingId);

/// <summary>One transition of an introduction.</summary>
/// <param name="Status">The state it moved to.</param>
/// <param name="By">The organization whose key moved it.</param>
/// <param name="At">When, UTC, ISO 8601.</param>
/// <param name="Note">The reason or note given; absent when none.</param>
public sealed record IntroductionEvent(string Status, string By, DateTimeOffset At, LocalizedText? Note);

/// <summary>An introduction · 对接 · знакомство between a listing's organization and an interested one.</summary>
/// <param name="Id">The id the server assigned, <c>itr_…</c>.</param>
/// <param name="Status"><c>introduced</c>, <c>negotiating</c>, <c>agreement</c> or <c>closed</c>.</param>
/// <param name="Owner">The listing's organization.</param>
/// <param name="Interested">The interested organization.</param>
/// <param name="InterestId">The interest whose acceptance opened it; absent when a recommendation did.</param>
/// <param name="RecommendationId">The recommendation both sides accepted, when one opened it.</param>
/// <param name="Agreement">The agreement, once recorded.</param>
/// <param name="Reason">Why it closed, once closed.</param>
/// <param name="History">Every transition, oldest first.</param>
/// <param name="Version">1 when opened, raised by every transition; the ETag is this number quoted.</param>
/// <param name="CreatedAt">When it opened, UTC, ISO 8601.</param>
public sealed record IntroductionResponse(
    string Id, string Status, IntroductionParty Owner, IntroductionParty Interested, string? InterestId, string? RecommendationId,
    AgreementTerms? Agreement, LocalizedText? Reason, IReadOnlyList<IntroductionEvent> History, long Version, DateTimeOffset CreatedAt);

/// <summary>An agency's recommendation · 推荐 · рекомендация of a need and an offer to each other's organizations.</summary>
public sealed record RecommendationRequest
{
    /// <summary>The published need, <c>nd_…</c>.</summary>
    public string? NeedId { get; init; }
    /// <summary>The published offer of another organization, <c>of_…</c>.</summary>
    public string? OfferId { get; init; }
    /// <summary>Why they fit · 推荐理由 · почему подходят, in zh and/or ru (en optional), each at most 2,000 characters; optional.</summary>
    public LocalizedText? Note { get; init; }
}

/// <summary>One side's answer to a recommendation.</summary>
public sealed record RecommendationAnswer
{
    /// <summary><c>need</c> or <c>offer</c>: which side answers; needed only when the caller acts for both.</summary>
    public string? Side { get; init; }
    /// <summary>Why, in zh, ru and/or en: required to decline.</summary>
    public LocalizedText? Reason { get; init; }
}

/// <summary>A recommendation as stored, with both sides' answers.</summary>
/// <param name="Id">The id the server assigned, <c>rec_…</c>.</param>
/// <param name="AgencyId">The organization that recommended (an agency, or the platform).</param>
/// <param name="NeedId">The need.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="NeedOrganizationId">The need's organization.</param>
/// <param name="OfferOrganizationId">The offer's organization.</param>
/// <param name="Note">The agency's note as written; absent when none.</param>
/// <param name="Score">The match score of the pair when it was recommended; absent when the offer was not among the need's matches.</param>
/// <param name="Explanation">Why the pair matched when it was recommended (a snapshot); absent with the score.</param>
/// <param name="NeedAnswer"><c>pending</c>, <c>accepted</c> or <c>declined</c>: the need side's answer.</param>
/// <param name="OfferAnswer">The offer side's answer.</param>
/// <param name="NeedReason">The need side's reason, when it gave one.</param>
/// <param name="OfferReason">The offer side's reason, when it gave one.</param>
/// <param name="Status"><c>pending</c> until both answer; <c>accepted</c> when both accepted (an introduction is open); <c>declined</c> when either declined.</param>
/// <param name="IntroductionId">The introduction opened when both accepted.</param>
/// <param name="Version">1 when made, raised by each answer; the ETag is this number quoted.</param>
/// <param name="CreatedAt">When it was made, UTC, ISO 8601.</param>
/// <param name="UpdatedAt">When it last changed, UTC, ISO 8601.</param>
public sealed record RecommendationResponse(
    string Id, string AgencyId, string NeedId, string OfferId, string NeedOrganizationId, string OfferOrganizationId, LocalizedText? Note,
    double? Score, MatchExplanation? Explanation, string NeedAnswer, string OfferAnswer, LocalizedText? NeedReason, LocalizedText? OfferReason,
    string Status, string? IntroductionId, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The funnel · 转化漏斗 · воронка of a period: from listings published to agreements signed.</summary>
/// <param name="From">The start of the period, inclusive, UTC.</param>
/// <param name="To">The end of the period, exclusive, UTC.</param>
/// <param name="Total">Everything in the period the caller may see.</param>
/// <param name="ByField">The same counts per field code of the listing concerned.</param>
/// <param name="ByDirection">Interests, introductions and agreements by direction: <c>CN→RU</c> (a Chinese organization's interest in a Russian listing), <c>RU→CN</c>, <c>same-country</c>, or <c>other</c>.</param>
/// <param name="MedianDays">Median days between the steps, over the cases of the period; absent where there is no case.</param>
public sealed record FunnelReport(DateTimeOffset From, DateTimeOffset To, FunnelCounts Total, IReadOnlyDictionary<string, FunnelCounts> ByField,
    IReadOnlyDictionary<string, FunnelCounts> ByDirection, FunnelMedians MedianDays);

/// <summary>Counts of one slice of the funnel.</summary>
/// <param name="ListingsPublished">Listings first published in the period (0 in a direction: a listing alone has none).</param>
/// <param name="Interests">Interests expressed in the period.</param>
/// <param name="Introductions">Introductions opened in the period (from an interest or a recommendation).</param>
/// <param name="Agreements">Agreements recorded in the period.</param>
public sealed record FunnelCounts(long ListingsPublished, long Interests, long Introductions, long Agreements);

/// <summary>Median days between the steps of the funnel.</summary>
/// <param name="PublishToFirstInterest">From a listing's first publication to the first interest in it, over the listings whose first interest came in the period.</param>
/// <param name="InterestToIntroduction">From an interest to the introduction its acceptance opened, over the introductions opened in the period.</param>
/// <param name="IntroductionToAgreement">From an introduction to its agreement, over the agreements recorded in the period.</param>
public sealed record FunnelMedians(double? PublishToFirstInterest, double? InterestToIntroduction, double? IntroductionToAgreement);
