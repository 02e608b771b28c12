using static Marketplace.Api.Listings.ListingLimits;
using FluentValidation;
using Marketplace.Api.Http;
using Marketplace.Api.Validation;
using Marketplace.Contracts;

namespace Marketplace.Api.Listings;

/// <summary>The rules of API.md for an offer or need body; every message follows Accept-Language.</summary>
public sealed class ListingValidator(bool requireExternalRef = false) : ListingRules<ListingRequest>(requireExternalRef);

/// <summary>An ad-hoc match body: a listing plus the collection to match it against.</summary>
public sealed class MatchRequestValidator : ListingRules<MatchRequest>
{
    public MatchRequestValidator()
    {
        RuleFor(x => x.Target).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "target"))
            .Must(t => t is "offers" or "needs").WithMessage(x => Messages.Get(Messages.UnknownCode, x.Target))
            .When(x => x.Target is not null, ApplyConditionTo.CurrentValidator);
    }
}

public abstract class ListingRules<T> : AbstractValidator<T> where T : ListingRequest
{

    /// <param name="requireExternalRef">Bulk lines upsert by externalRef, so it is required there.</param>
    protected ListingRules(bool requireExternalRef = false)
    {
        RuleFor(x => x.ExternalRef!)
            .NotEmpty().When(_ => requireExternalRef).WithMessage(_ => Messages.Get(Messages.Required, "externalRef"));
        RuleFor(x => x.ExternalRef!).MaximumLength(RefMax).WithMessage(_ => Messages.Get(Messages.TooLong, RefMax))
            .Must(r => r.Trim().Length > 0).WithMessage(_ => Messages.Get(Messages.Empty))
            .NoControlCharacters()
            .When(x => x.ExternalRef is not null);
        RuleFor(x => x.OrganizationId!).MaximumLength(64).WithMessage(_ => Messages.Get(Messages.TooLong, 64))
            .NoControlCharacters()
            .When(x => x.OrganizationId is not null);

        // Required first, then checked only when present: a condition on the whole chain would also switch off "required".
        RuleFor(x => x.Title).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "title"));
        RuleFor(x => x.Title!).Must(t => !string.IsNullOrWhiteSpace(t.Zh) || !string.IsNullOrWhiteSpace(t.Ru))
            .WithMessage(_ => Messages.Get(Messages.TitleLanguage))
            .SetValidator(new LocalizedTextValidator(TitleMax, allowLineBreaks: false))
            .When(x => x.Title is not null);

        RuleFor(x => x.Description).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "description"));
        RuleFor(x => x.Description!).SetValidator(new LocalizedTextValidator(DescriptionMax, allowLineBreaks: true))
            .When(x => x.Description is not null);
        RuleFor(x => x).Custom((listing, context) =>
        {
            if (listing.Title is null || listing.Description is null) return;
            foreach (var (language, title, description) in new[]
                     {
                         ("zh", listing.Title.Zh, listing.Description.Zh),
                         ("ru", listing.Title.Ru, listing.Description.Ru),
                     })
            {
                if (!string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(description))
                    context.AddFailure($"description.{language}", Messages.Get(Messages.DescriptionLanguage, language));
            }
        });

        RuleFor(x => x.Keywords!).SetValidator(new LocalizedTermsValidator()).When(x => x.Keywords is not null);

        RuleFor(x => x.Field).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "field"))
            .Must(f => Taxonomy.FieldCodes.Contains(f!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Field))
            .When(x => x.Field is not null, ApplyConditionTo.CurrentValidator);

        RuleFor(x => x.Trl).NotNull().WithMessage(_ => Messages.Get(Messages.Required, "trl"))
            .InclusiveBetween(1, 9).WithMessage(_ => Messages.Get(Messages.TrlRange));

        RuleFor(x => x.CooperationForms).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "cooperationForms"))
            .Must(f => f!.Count <= Taxonomy.CooperationFormCodes.Count)
            .WithMessage(_ => Messages.Get(Messages.TooMany, Taxonomy.CooperationFormCodes.Count))
            .Must(f => f!.Distinct().Count() == f!.Count)
            .WithMessage(x => Messages.Get(Messages.Duplicate, x.CooperationForms!.GroupBy(f => f).First(g => g.Count() > 1).Key))
            .When(x => x.CooperationForms is not null, ApplyConditionTo.AllValidators);
        RuleFor(x => x.CooperationForms).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "cooperationForms"))
            .When(x => x.CooperationForms is null);
        RuleForEach(x => x.CooperationForms)
            .Must(f => f is not null && Taxonomy.CooperationFormCodes.Contains(f)).WithMessage((_, f) => Messages.Get(Messages.UnknownCode, f));

        RuleFor(x => x.Country).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "country"))
            .Must(c => Countries.Codes.Contains(c!)).WithMessage(_ => Messages.Get(Messages.CountryCode))
            .When(x => x.Country is not null, ApplyConditionTo.CurrentValidator);

        RuleFor(x => x.Region!).MaximumLength(200).WithMessage(_ => Messages.Get(Messages.TooLong, 200)).NoControlCharacters()
            .When(x => x.Region is not null);

        RuleFor(x => x.Ip!.Status!).Must(s => Taxonomy.IpStatuses.Contains(s))
            .WithMessage(x => Messages.Get(Messages.UnknownCode, x.Ip!.Status)).When(x => x.Ip?.Status is not null);
        RuleFor(x => x.Ip!.Patents!).Must(p => p.Count <= 50).WithMessage(_ => Messages.Get(Messages.TooMany, 50))
            .When(x => x.Ip?.Patents is not null);
        RuleForEach(x => x.Ip!.Patents!).Must(p => !string.IsNullOrWhiteSpace(p) && p.Length <= KeywordMax)
            .WithMessage(_ => Messages.Get(Messages.TooLong, KeywordMax)).NoControlCharacters().When(x => x.Ip?.Patents is not null);

        RuleFor(x => x.Status!).Must(s => Taxonomy.Statuses.Contains(s))
            .WithMessage(x => Messages.Get(Messages.UnknownCode, x.Status)).When(x => x.Status is not null);
    }

    sealed class LocalizedTermsValidator : AbstractValidator<LocalizedTerms>
    {
        public LocalizedTermsValidator()
        {
            // A keyword may be a Latin abbreviation (MIM, PLGA, HVOF) in either language, but not mostly the other language's script.
            Terms(x => x.Zh!, x => x.Zh is not null, Scripts.IsChineseKeyword, Messages.ChineseScript);
            Terms(x => x.Ru!, x => x.Ru is not null, Scripts.IsRussianKeyword, Messages.RussianScript);
            Terms(x => x.En!, x => x.En is not null, _ => true, Messages.Empty);
        }

        void Terms(System.Linq.Expressions.Expression<Func<LocalizedTerms, IEnumerable<string>>> list, Func<LocalizedTerms, bool> present,
            Func<string, bool> script, string scriptMessage)
        {
            RuleFor(list).Must(l => l.Count() <= KeywordsMax).WithMessage(_ => Messages.Get(Messages.TooMany, KeywordsMax)).When(present);
            RuleForEach(list)
                .Must(k => !string.IsNullOrWhiteSpace(k)).WithMessage(_ => Messages.Get(Messages.Empty))
                .Must(k => k is null || k.Length <= KeywordMax).WithMessage(_ => Messages.Get(Messages.TooLong, KeywordMax))
                .Must(k => string.IsNullOrWhiteSpace(k) || script(k)).WithMessage(_ => Messages.Get(scriptMessage))
                .Must(k => !ControlCharacters.In(k)).WithMessage(_ => Messages.Get(Messages.ControlCharacters))
                .When(present, ApplyConditionTo.AllValidators);
        }
    }
}

/// <summary>A text in zh (Chinese script), ru (Russian script) and en, each within a length and free of control characters.</summary>
internal sealed class LocalizedTextValidator : AbstractValidator<LocalizedText>
{
    public LocalizedTextValidator(int max, bool allowLineBreaks)
    {
        RuleFor(x => x.Zh!).Must(Scripts.IsChinese).WithMessage(_ => Messages.Get(Messages.ChineseScript))
            .MaximumLength(max).WithMessage(_ => Messages.Get(Messages.TooLong, max))
            .NoControlCharacters(allowLineBreaks).When(x => !string.IsNullOrWhiteSpace(x.Zh));
        RuleFor(x => x.Ru!).Must(Scripts.IsRussian).WithMessage(_ => Messages.Get(Messages.RussianScript))
            .MaximumLength(max).WithMessage(_ => Messages.Get(Messages.TooLong, max))
            .NoControlCharacters(allowLineBreaks).When(x => !string.IsNullOrWhiteSpace(x.Ru));
        RuleFor(x => x.En!).MaximumLength(max).WithMessage(_ => Messages.Get(Messages.TooLong, max))
            .NoControlCharacters(allowLineBreaks).When(x => x.En is not null);
    }
}

/// <summary>A reviewer's decision: publish, or reject with a reason.</summary>
public sealed class ReviewRequestValidator : AbstractValidator<ReviewRequest>
{
    public const int ReasonMax = 2000;

    public ReviewRequestValidator()
    {
        RuleFor(x => x.Decision).NotEmpty().WithMessage(_ => Messages.Get(Messages.Required, "decision"))
            .Must(d => ReviewDecision.All.Contains(d!)).WithMessage(x => Messages.Get(Messages.UnknownCode, x.Decision))
            .When(x => x.Decision is not null, ApplyConditionTo.CurrentValidator);
        RuleFor(x => x.Reason).Must(r => r is not null && (!string.IsNullOrWhiteSpace(r.Zh) || !string.IsNullOrWhiteSpace(r.Ru) || !string.IsNullOrWhiteSpace(r.En)))
            .WithMessage(_ => Messages.Get(Messages.ReasonRequired)).When(x => x.Decision == ReviewDecision.Reject);
        RuleFor(x => x.Reason!).SetValidator(new LocalizedTextValidator(ReasonMax, allowLineBreaks: true)).When(x => x.Reason is not null);
    }
}

public static class ListingLimits
{
    public const int TitleMax = 300, DescriptionMax = 10_000, KeywordMax = 100, KeywordsMax = 20, RefMax = 100;
}
