namespace Marketplace.Api.Http;

/// <summary>
/// What every problem+json carries, whoever wrote it: a localized title, and for the answers the
/// framework writes by itself (404 of an unknown route, 405, 413, 415 from status-code pages) a
/// localized detail; a refused read does not claim that "nothing was stored".
/// </summary>
public static class ProblemDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Status is not { } status) return;
        if (problem.Detail is null)
        {
            // Written by the framework, not by a handler: its English reason phrase gives way to ours.
            problem.Title = Messages.TitleFor(status);
            problem.Detail = status switch
            {
                404 => Messages.Get(Messages.NoSuchRoute),
                405 => Messages.Get(Messages.MethodNotAllowed),
                413 => Messages.Get(Messages.BodyTooLarge, Hosting.ServiceSetup.MaxBodyBytes / 1024),
                415 => Messages.Get(Messages.JsonMediaType),
                _ => null,
            };
        }
        else if (problem.Title is null) problem.Title = Messages.TitleFor(status);
        if (problem is HttpValidationProblemDetails && HttpMethods.IsGet(context.HttpContext.Request.Method)
            && problem.Detail == Messages.Get(Messages.ValidationDetail))
            problem.Detail = Messages.Get(Messages.ValidationReadDetail);
    }
}
