using FluentValidation;

namespace Marketplace.Api.Http;

/// <summary>Validates the body of type <typeparamref name="T"/> before the handler runs; failures become a 400 naming each field.</summary>
public sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter where T : class
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var body = context.Arguments.OfType<T>().FirstOrDefault();
        if (body is null)
            return Problems.Validation("$", Messages.Get(Messages.BadJson));
        var result = await validator.ValidateAsync(body, context.HttpContext.RequestAborted);
        return result.IsValid ? await next(context) : Problems.Validation(result.ToDictionary());
    }
}

public static class ValidationNames
{
    /// <summary>Errors name fields as clients write them: <c>title.zh</c>, <c>keywords.ru[1]</c>.</summary>
    public static void UseCamelCasePaths()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) =>
        {
            var chain = expression is null ? member?.Name : FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString();
            return chain is null ? null : string.Join('.', chain.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
        };
    }
}
