namespace Leaderboard.Api.Http;

/// <summary>
/// One check, on every API endpoint, of the text that arrives outside the JSON body: route values,
/// query names and values, and the <c>Idempotency-Key</c> header (it is stored). A value that
/// PostgreSQL cannot store (NUL, an unpaired surrogate) is 400 ValidationProblem naming the field,
/// before any handler looks it up.
/// </summary>
public static class StorableTextFilter
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Adds the check to every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder RequireStorableText<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var validation = new RequestValidation();
            foreach (var (name, value) in request.RouteValues)
            {
                validation.Text(name, value as string);
            }

            foreach (var (name, values) in request.Query)
            {
                validation.Text("query", name);
                foreach (var value in values)
                {
                    validation.Text(name, value);
                }
            }

            foreach (var value in request.Headers[IdempotencyKeyHeader])
            {
                validation.Text(IdempotencyKeyHeader, value);
            }

            return validation.IsValid ? await next(context) : TypedResults.ValidationProblem(validation.Errors);
        });
        return builder;
    }
}
