using FluentValidation;
using Marketplace.Api.Http;
using Marketplace.Contracts;

namespace Marketplace.Api.Alerts;

/// <summary>Known event types, a threshold between 0 and 1, a known delivery mode.</summary>
public sealed class SubscriptionRequestValidator : AbstractValidator<SubscriptionRequest>
{
    public SubscriptionRequestValidator()
    {
        RuleForEach(x => x.Types).Must(t => EventTypes.All.Contains(t))
            .WithMessage((_, t) => Messages.Get(Messages.UnknownEventType, t, string.Join(", ", EventTypes.All)));
        RuleFor(x => x.Threshold).InclusiveBetween(0, 1).WithMessage(_ => Messages.Get(Messages.Threshold)).When(x => x.Threshold is not null);
        RuleFor(x => x.Delivery).Must(d => d is AlertDelivery.Immediate or AlertDelivery.Daily).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Delivery))
            .When(x => x.Delivery is not null);
    }
}

/// <summary>A URL (checked for its address by the endpoint), known event types, a short note.</summary>
public sealed class WebhookRequestValidator : AbstractValidator<WebhookRequest>
{
    public const int UrlMax = 2000;
    public const int DescriptionMax = 200;

    public WebhookRequestValidator()
    {
        RuleFor(x => x.Url).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "url"))
            .MaximumLength(UrlMax).WithMessage(_ => Messages.Get(Messages.TooLong, UrlMax));
        RuleForEach(x => x.Types).Must(t => EventTypes.All.Contains(t))
            .WithMessage((_, t) => Messages.Get(Messages.UnknownEventType, t, string.Join(", ", EventTypes.All)));
        RuleFor(x => x.Description).MaximumLength(DescriptionMax).WithMessage(_ => Messages.Get(Messages.TooLong, DescriptionMax));
    }
}
