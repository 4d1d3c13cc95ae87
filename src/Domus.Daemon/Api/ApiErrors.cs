using Domus.Api;
using Domus.Daemon.Domains;

namespace Domus.Daemon.Api;

/// <summary>Turns a refused operation into the API's error answer: its HTTP status, one sentence, and a form's field errors.</summary>
public static class ApiErrors
{
    public static async Task HandleAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (DomainOperationException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, (int)e.Status, e.Message);
        }
        catch (InvalidFieldsException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = (int)e.Status;
            await context.Response.WriteAsJsonAsync(new ApiError(e.Message, e.Errors), ApiJsonContext.Default.ApiError);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, $"bad request: {e.Message}");
        }
    }

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message), ApiJsonContext.Default.ApiError);
    }
}
