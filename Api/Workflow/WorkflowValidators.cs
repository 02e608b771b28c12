using FluentValidation;
using Marketplace.Api.Http;
using Marketplace.Api.Listings;
using Marketplace.Api.Validation;
using Marketplace.Contracts;

namespace Marketplace.Api.Workflow;

/// <summary>An expression of interest: a listing and a message in zh or ru.</summary>
public sealed class InterestRequestValidator : AbstractValidator<InterestRequest>
{
    public const int MessageMax = 2000;

    public InterestRequestValidator()
    {
        RuleFor(x => x.ListingId).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "listingId"));
        RuleFor(x => x.Message).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "message"));
        RuleFor(x => x.Message!).Must(m => !string.IsNullOrWhiteSpace(m.Zh) || !string.IsNullOrWhiteSpace(m.Ru))
            .WithMessage(_ => Messages.Get(Messages.MessageLanguage))
            .SetValidator(new LocalizedTextValidator(MessageMax, allowLineBreaks: true))
            .When(x => x.Message is not null);
    }
}

/// <summary>An answer to an interest: its reason, when there is one, checked like any text.</summary>
public sealed class InterestAnswerValidator : AbstractValidator<InterestAnswer>
{
    public InterestAnswerValidator()
    {
        RuleFor(x => x.Reason!).SetValidator(new LocalizedTextValidator(InterestRequestValidator.MessageMax, allowLineBreaks: true))
            .When(x => x.Reason is not null);
    }
}

/// <summary>A move of an introduction: a known state; an agreement needs its terms, a close its reason.</summary>
public sealed class IntroductionTransitionValidator : AbstractValidator<IntroductionTransition>
{
    static readonly IReadOnlySet<string> Targets = new HashSet<string> { IntroductionStatus.Negotiating, IntroductionStatus.Agreement, IntroductionStatus.Closed };

    public IntroductionTransitionValidator()
    {
        RuleFor(x => x.Status).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "status"))
            .Must(s => Targets.Contains(s!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Status))
            .When(x => x.Status is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.Agreement).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "agreement"))
            .When(x => x.Status == IntroductionStatus.Agreement);
        RuleFor(x => x.Agreement!.Form).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "agreement.form"))
            .Must(f => Taxonomy.CooperationFormCodes.Contains(f!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Agreement!.Form))
            .When(x => x.Agreement?.Form is not null, ApplyConditionTo.CurrentValidator)
            .When(x => x.Status == IntroductionStatus.Agreement && x.Agreement is not null);
        RuleFor(x => x.Agreement!.SignedOn).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "agreement.signedOn"))
            .When(x => x.Status == IntroductionStatus.Agreement && x.Agreement is not null);
        RuleFor(x => x.Agreement!.Currency).Must(c => c is { Length: 3 } && c.All(char.IsAsciiLetterUpper))
            .WithMessage(_ => Messages.Get(Messages.CurrencyNeeded))
            .When(x => x.Agreement?.Value is not null || x.Agreement?.Currency is not null);
        RuleFor(x => x.Reason).Must(r => r.Cleaned() is not null).WithMessage(_ => Messages.Get(Messages.ReasonNeeded))
            .When(x => x.Status == IntroductionStatus.Closed);
        RuleFor(x => x.Reason!).SetValidator(new LocalizedTextValidator(InterestRequestValidator.MessageMax, allowLineBreaks: true))
            .When(x => x.Reason is not null);
    }
}

/// <summary>A recommendation: a need, an offer and an optional note.</summary>
public sealed class RecommendationRequestValidator : AbstractValidator<RecommendationRequest>
{
    public RecommendationRequestValidator()
    {
        RuleFor(x => x.NeedId).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "needId"));
        RuleFor(x => x.OfferId).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "offerId"));
        RuleFor(x => x.Note!).SetValidator(new LocalizedTextValidator(InterestRequestValidator.MessageMax, allowLineBreaks: true)).When(x => x.Note is not null);
    }
}

/// <summary>A side's answer to a recommendation: its reason, when there is one, checked like any text.</summary>
public sealed class RecommendationAnswerValidator : AbstractValidator<RecommendationAnswer>
{
    public RecommendationAnswerValidator()
    {
        RuleFor(x => x.Reason!).SetValidator(new LocalizedTextValidator(InterestRequestValidator.MessageMax, allowLineBreaks: true)).When(x => x.Reason is not null);
    }
}
