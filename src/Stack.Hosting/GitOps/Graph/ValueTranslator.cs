using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// Turns the values of the graph (parameters, endpoint references, connection strings, reference
/// expressions) into manifest text. Endpoints become in-cluster Service addresses; a secret
/// parameter becomes a reference to a Secret key, never its value.
/// </summary>
internal sealed class ValueTranslator(DistributedApplicationExecutionContext executionContext, Func<IResource, string, int> servicePort)
{
    /// <summary>Translates <paramref name="value"/>, set on <paramref name="owner"/> as <paramref name="what"/> (named in errors).</summary>
    public async Task<KubernetesValue> TranslateAsync(IResource owner, string what, object? value, CancellationToken cancellationToken)
    {
        var parts = new List<KubernetesValue>();
        await AppendAsync(parts, owner, what, value, stringFormat: null, cancellationToken);
        return Join(parts);
    }

    private async Task AppendAsync(List<KubernetesValue> parts, IResource owner, string what, object? value, string? stringFormat, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                parts.Add(KubernetesValue.Literal(Format(text, stringFormat)));
                return;
            case bool flag:
                parts.Add(KubernetesValue.Literal(flag ? "true" : "false"));
                return;
            case IFormattable formattable:
                parts.Add(KubernetesValue.Literal(formattable.ToString(null, CultureInfo.InvariantCulture)));
                return;
            case ParameterResource { Secret: true } secret:
                // Kubernetes cannot URI-escape a value it expands; a generated value of letters and
                // digits needs no escaping, so only such a secret may be embedded in a URI.
                if (stringFormat is not null && secret.Default is not GenerateParameterDefault { Special: false })
                {
                    throw new GitOpsPublishException($"Resource '{owner.Name}': {what} embeds secret parameter '{secret.Name}' with format '{stringFormat}', which cannot be applied to a value kept in a Secret. Pass the parameter on its own, or generate it without special characters.");
                }

                parts.Add(KubernetesValue.Secret(secret.Name));
                return;
            case ParameterResource parameter:
                parts.Add(KubernetesValue.Literal(Format(await parameter.GetValueAsync(cancellationToken) ?? "", stringFormat)));
                return;
            case EndpointReference endpoint:
                parts.Add(KubernetesValue.Literal(Format(Url(endpoint), stringFormat)));
                return;
            case EndpointReferenceExpression property:
                parts.Add(KubernetesValue.Literal(Format(EndpointProperty(owner, what, property), stringFormat)));
                return;
            case ConnectionStringReference connectionString:
                await AppendAsync(parts, owner, what, connectionString.Resource.ConnectionStringExpression, stringFormat, cancellationToken);
                return;
            case IResourceWithConnectionString resource:
                await AppendAsync(parts, owner, what, resource.ConnectionStringExpression, stringFormat, cancellationToken);
                return;
            case ReferenceExpression { IsConditional: true } conditional:
                // Conditions (e.g. "is TLS on for this endpoint") are facts of the graph, known at publish.
                var condition = await conditional.Condition!.GetValueAsync(new ValueProviderContext { ExecutionContext = executionContext }, cancellationToken);
                var branch = string.Equals(condition, conditional.MatchValue, StringComparison.OrdinalIgnoreCase) ? conditional.WhenTrue : conditional.WhenFalse;
                await AppendAsync(parts, owner, what, branch, stringFormat, cancellationToken);
                return;
            case ReferenceExpression expression:
                await AppendExpressionAsync(parts, owner, what, expression, cancellationToken);
                return;
            default:
                throw new GitOpsPublishException($"Resource '{owner.Name}': {what} holds a {value.GetType().Name}, which the Kubernetes publisher cannot express. Use a parameter, an endpoint or a connection string reference.");
        }
    }

    private async Task AppendExpressionAsync(List<KubernetesValue> parts, IResource owner, string what, ReferenceExpression expression, CancellationToken cancellationToken)
    {
        // Walk the composite format: literal runs between {n} holes, each hole a value provider.
        var format = expression.Format;
        var literal = new System.Text.StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '{' && i + 1 < format.Length && format[i + 1] == '{' || c == '}' && i + 1 < format.Length && format[i + 1] == '}')
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var end = format.IndexOf('}', i);
            var index = int.Parse(format.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
            if (literal.Length > 0)
            {
                parts.Add(KubernetesValue.Literal(literal.ToString()));
                literal.Clear();
            }

            await AppendAsync(parts, owner, what, expression.ValueProviders[index], expression.StringFormats[index], cancellationToken);
            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add(KubernetesValue.Literal(literal.ToString()));
        }
    }

    private static KubernetesValue Join(List<KubernetesValue> parts)
    {
        if (parts is [{ IsWholeSecret: true } single])
        {
            return single;
        }

        var hasSecrets = parts.Any(p => p.HasSecrets);
        var text = string.Concat(parts.Select(p => hasSecrets && !p.HasSecrets ? KubernetesValue.Escape(p.Text) : p.Text));
        var keys = parts.SelectMany(p => p.SecretKeys).Distinct(StringComparer.Ordinal).ToList();
        return new KubernetesValue(text, keys, false);
    }

    private static string Format(string text, string? stringFormat) => stringFormat switch
    {
        null => text,
        "uri" => Uri.EscapeDataString(text),
        _ => throw new GitOpsPublishException($"Value format '{stringFormat}' is not supported by the Kubernetes publisher."),
    };

    private string Url(EndpointReference endpoint) =>
        $"{endpoint.Scheme}://{endpoint.Resource.Name}:{servicePort(endpoint.Resource, endpoint.EndpointName)}";

    private string EndpointProperty(IResource owner, string what, EndpointReferenceExpression property)
    {
        var endpoint = property.Endpoint;
        var host = endpoint.Resource.Name;
        var port = servicePort(endpoint.Resource, endpoint.EndpointName).ToString(CultureInfo.InvariantCulture);
        return property.Property switch
        {
            Aspire.Hosting.ApplicationModel.EndpointProperty.Url => Url(endpoint),
            Aspire.Hosting.ApplicationModel.EndpointProperty.Host or Aspire.Hosting.ApplicationModel.EndpointProperty.IPV4Host => host,
            Aspire.Hosting.ApplicationModel.EndpointProperty.Port or Aspire.Hosting.ApplicationModel.EndpointProperty.TargetPort => port,
            Aspire.Hosting.ApplicationModel.EndpointProperty.HostAndPort => $"{host}:{port}",
            Aspire.Hosting.ApplicationModel.EndpointProperty.Scheme => endpoint.Scheme,
            _ => throw new GitOpsPublishException($"Resource '{owner.Name}': {what} uses endpoint property {property.Property} of '{host}', which has no Kubernetes equivalent."),
        };
    }
}
