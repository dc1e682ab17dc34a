using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Stack.Hosting.Observability;

namespace Stack.Hosting.GitOps.Graph;

/// <summary>
/// Reads the compute resources of the graph and the <c>WithReference</c> edges between them,
/// refusing, with one message naming the resource, anything Kubernetes cannot run as declared.
/// </summary>
internal sealed class GraphReader(DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, GitOpsEnvironmentResource environment)
{
    // .NET images listen on 8080 unless told otherwise; we tell them explicitly.
    private const int DefaultProjectHttpPort = 8080;

    /// <summary>Reads <paramref name="model"/> as <paramref name="environment"/> publishes it.</summary>
    public static Task<WorkloadGraph> ReadAsync(DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, GitOpsEnvironmentResource environment, CancellationToken cancellationToken) =>
        new GraphReader(model, executionContext, environment).ReadAsync(cancellationToken);

    private async Task<WorkloadGraph> ReadAsync(CancellationToken cancellationToken)
    {
        var compute = model.Resources.Where(IsCompute).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        var ports = compute.ToDictionary(r => r.Name, ReadPorts, StringComparer.Ordinal);
        var translator = new ValueTranslator(executionContext, (resource, endpoint) => ServicePort(ports, resource, endpoint));
        var registry = environment.ImageRegistry is { } parameter ? (await parameter.GetValueAsync(cancellationToken))?.TrimEnd('/') : null;

        var workloads = new List<Workload>();
        foreach (var resource in compute)
        {
            workloads.Add(await ReadWorkloadAsync(resource, ports[resource.Name], translator, registry, cancellationToken));
        }

        // A digest for an image no resource uses (its tag changed, say) would pin nothing: say so.
        var used = workloads.Where(w => w.ImageTag is not null).Select(w => $"{w.ImageName}:{w.ImageTag!.Split('@')[0]}").ToHashSet(StringComparer.Ordinal);
        if (environment.ImageDigests.Keys.FirstOrDefault(image => !used.Contains(image)) is { } unused)
        {
            throw new GitOpsPublishException($"WithImageDigest names '{unused}', which no resource of the graph uses: pin the image:tag a resource runs (its tag may have changed).");
        }

        return new WorkloadGraph(workloads, ReadEdges(workloads));
    }

    private bool IsCompute(IResource resource)
    {
        if (resource is GitOpsEnvironmentResource || resource.IsExcludedFromPublish())
        {
            return false;
        }

        if (resource is ExecutableResource)
        {
            throw new GitOpsPublishException($"Resource '{resource.Name}' is an executable (a process on this machine); Kubernetes runs images. Declare it as a container or a project.");
        }

        return resource is ProjectResource or ContainerResource;
    }

    private async Task<Workload> ReadWorkloadAsync(IResource resource, IReadOnlyList<WorkloadPort> ports, ValueTranslator translator, string? registry, CancellationToken cancellationToken)
    {
        var settings = KubernetesWorkloadDefaults.For(resource);
        var (imageName, imageTag) = ReadImage(resource, registry);
        if (imageTag is not null && environment.ImageDigests.TryGetValue($"{imageName}:{imageTag}", out var digest))
        {
            imageTag = $"{imageTag}@{digest}";
        }


        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var secrets = new SortedDictionary<string, KubernetesValue>(StringComparer.Ordinal);
        foreach (var (name, value) in await ReadEnvironmentAsync(resource, cancellationToken))
        {
            var translated = await translator.TranslateAsync(resource, $"environment variable {name}", value, cancellationToken);
            if (translated.HasSecrets)
            {
                secrets[name] = translated;
            }
            else
            {
                config[name] = translated.Text;
            }
        }

        if (resource is ProjectResource)
        {
            AddProjectSettings(resource, ports, config);
        }

        foreach (var (name, value) in settings.Environment)
        {
            config[name] = value;
            secrets.Remove(name);
        }

        var args = new List<string>();
        var argumentSecretKeys = new SortedSet<string>(StringComparer.Ordinal);
        if (settings.Args is { } ownArgs)
        {
            args.AddRange(ownArgs.Select(KubernetesValue.Escape));
        }
        else
        {
            foreach (var arg in await ReadArgsAsync(resource, cancellationToken))
            {
                var translated = await translator.TranslateAsync(resource, "an argument", arg, cancellationToken);
                args.Add(translated.HasSecrets ? translated.Text : KubernetesValue.Escape(translated.Text));
                argumentSecretKeys.UnionWith(translated.SecretKeys);
            }
        }

        return new Workload
        {
            Resource = resource,
            ImageName = imageName,
            ImageTag = imageTag,
            Command = settings.Command?.Select(KubernetesValue.Escape).ToList()
                ?? (resource is ContainerResource { Entrypoint: { Length: > 0 } entrypoint } ? [entrypoint] : []),
            Args = args,
            ArgumentSecretKeys = [.. argumentSecretKeys],
            Ports = ports,
            Config = config,
            SecretEnvironment = secrets,
            Volumes = ReadVolumes(resource),
            Files = PostgresInitFiles.For(resource),
            Settings = settings,
            Replicas = resource.GetReplicaCount(),
        };
    }

    private void AddProjectSettings(IResource resource, IReadOnlyList<WorkloadPort> ports, SortedDictionary<string, string> config)
    {
        // The project listens on its Service port inside the pod; Aspire's local URLs do not apply.
        config.Remove("ASPNETCORE_URLS");
        config.Remove("ASPNETCORE_HTTPS_PORTS");
        var http = ports.Where(p => p.IsHttp).Select(p => p.Port.ToString(CultureInfo.InvariantCulture)).ToList();
        if (http.Count > 0)
        {
            config["ASPNETCORE_HTTP_PORTS"] = string.Join(';', http);
            if (config.ContainsKey("HTTP_PORTS"))
            {
                // Aspire's own HTTP_PORTS is read after ASPNETCORE_HTTP_PORTS and would win: both name every port.
                config["HTTP_PORTS"] = config["ASPNETCORE_HTTP_PORTS"];
            }
        }

        if (ports.FirstOrDefault(p => p.IsManagement) is { } management)
        {
            config[ManagementEndpoint.PortVariable] = management.Port.ToString(CultureInfo.InvariantCulture);
        }

        TelemetrySettings.AddTo(config, environment, resource.Name);
    }

    private static (string Name, string? Tag) ReadImage(IResource resource, string? registry)
    {
        if (resource is ProjectResource)
        {
            if (string.IsNullOrEmpty(registry))
            {
                throw new GitOpsPublishException($"Project '{resource.Name}' needs an image registry: call WithImageRegistry(...) on the GitOps environment.");
            }

            return ($"{registry}/{resource.Name}", null);
        }

        if (!resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var image) || string.IsNullOrEmpty(image.Image))
        {
            throw new GitOpsPublishException($"Container '{resource.Name}' has no image. Give it one with WithImage(...).");
        }

        var name = string.IsNullOrEmpty(image.Registry) ? image.Image : $"{image.Registry}/{image.Image}";
        if (!string.IsNullOrEmpty(image.SHA256))
        {
            return (name, "@sha256:" + image.SHA256);
        }

        if (string.IsNullOrEmpty(image.Tag) || image.Tag == "latest")
        {
            throw new GitOpsPublishException($"Container '{resource.Name}' uses image '{name}' without a pinned tag. Pin one with WithImageTag(...): 'latest' changes under a running deployment.");
        }

        return (name, image.Tag);
    }

    private static List<WorkloadPort> ReadPorts(IResource resource)
    {
        var ports = new List<WorkloadPort>();
        if (!resource.TryGetEndpoints(out var endpoints))
        {
            return ports;
        }

        foreach (var endpoint in endpoints.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var isHttp = endpoint.UriScheme is "http" or "https";
            if (resource is ProjectResource && endpoint.Name == ManagementEndpoint.Name)
            {
                continue; // Added below, at the port every pod uses for it.
            }

            if (resource is ProjectResource && endpoint.UriScheme == "https")
            {
                // TLS ends at the ingress controller; inside the cluster a project speaks plain HTTP.
                continue;
            }

            var port = endpoint.TargetPort
                ?? (resource is ProjectResource ? DefaultProjectHttpPort : endpoint.Port)
                ?? throw new GitOpsPublishException($"Endpoint '{endpoint.Name}' of '{resource.Name}' has no target port. Set one with WithEndpoint(..., targetPort: ...).");
            var protocol = endpoint.Protocol == System.Net.Sockets.ProtocolType.Udp ? "UDP" : "TCP";
            ports.Add(new WorkloadPort(endpoint.Name, port, protocol, isHttp, endpoint.IsExternal));
        }

        // Every project serves /metrics on its management port (ServiceDefaults), for Prometheus only.
        if (resource is ProjectResource)
        {
            ports.Add(new WorkloadPort(ManagementEndpoint.Name, ManagementEndpoint.ClusterPort, "TCP", IsHttp: true, IsExternal: false, IsManagement: true));
        }

        return ports;
    }

    private static int ServicePort(Dictionary<string, List<WorkloadPort>> ports, IResource resource, string endpointName)
    {
        if (!ports.TryGetValue(resource.Name, out var list) || list.FirstOrDefault(p => p.Name == endpointName) is not { } port)
        {
            throw new GitOpsPublishException($"Endpoint '{endpointName}' of '{resource.Name}' is referenced, but '{resource.Name}' is not published to Kubernetes.");
        }

        return port.Port;
    }

    private async Task<Dictionary<string, object>> ReadEnvironmentAsync(IResource resource, CancellationToken cancellationToken)
    {
        var context = new EnvironmentCallbackContext(executionContext, resource, cancellationToken: cancellationToken);
        if (resource.TryGetAnnotationsOfType<EnvironmentCallbackAnnotation>(out var callbacks))
        {
            foreach (var callback in callbacks)
            {
                await callback.Callback(context);
            }
        }

        return context.EnvironmentVariables;
    }

    private async Task<IList<object>> ReadArgsAsync(IResource resource, CancellationToken cancellationToken)
    {
        var context = new CommandLineArgsCallbackContext([], resource, cancellationToken) { ExecutionContext = executionContext };
        if (resource.TryGetAnnotationsOfType<CommandLineArgsCallbackAnnotation>(out var callbacks))
        {
            foreach (var callback in callbacks)
            {
                await callback.Callback(context);
            }
        }

        return context.Args;
    }

    private static List<WorkloadVolume> ReadVolumes(IResource resource)
    {
        var volumes = new List<WorkloadVolume>();
        if (!resource.TryGetContainerMounts(out var mounts))
        {
            return volumes;
        }

        foreach (var mount in mounts)
        {
            if (mount.Type == ContainerMountType.BindMount)
            {
                throw new GitOpsPublishException($"Resource '{resource.Name}' bind-mounts '{mount.Source}' at '{mount.Target}'; a folder of this machine does not exist in a cluster. Use a volume (WithDataVolume) or bake the files into the image.");
            }

            // Volume names from the graph embed a hash of the AppHost's path; name claims by position
            // instead, so every machine renders the same manifests.
            volumes.Add(new WorkloadVolume(volumes.Count == 0 ? "data" : $"data-{volumes.Count}", mount.Target));
        }

        return volumes;
    }

    private static IReadOnlyList<WorkloadEdge> ReadEdges(IReadOnlyList<Workload> workloads)
    {
        var byResource = workloads.ToDictionary(w => w.Resource);
        var edges = new List<WorkloadEdge>();
        foreach (var source in workloads)
        {
            var targets = source.Resource.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(r => r.Type == "Reference")
                .Select(r => RootOf(r.Resource))
                .Where(target => target != source.Resource && byResource.ContainsKey(target))
                .Distinct()
                .Select(target => byResource[target])
                .OrderBy(target => target.Name, StringComparer.Ordinal);
            edges.AddRange(targets.Select(target => new WorkloadEdge(source, target)));
        }

        return edges;
    }

    private static IResource RootOf(IResource resource)
    {
        while (resource is IResourceWithParent child)
        {
            resource = child.Parent;
        }

        return resource;
    }
}
