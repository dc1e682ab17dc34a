using Aspire.Hosting;
using k8s.Models;
using Stack.Hosting.GitOps;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>What an environment may change about the network: its DNS servers and its ingress (class, controller, certificates).</summary>
public sealed class EnvironmentNetworkTests
{
    private static async Task<(List<object> Dev, List<object> Prod)> PublishAsync(string output, Action<DeployEnvironment> prod)
    {
        await PublishedGraph.PublishAsync(output, builder =>
        {
            var web = builder.AddProject("web", PublishedGraph.LeaderboardApiProject).WithExternalHttpEndpoints();
            builder.AddGitOpsEnvironment("gitops")
                .WithImageRegistry(builder.AddParameter("registry", "ghcr.io/stack-games"))
                .WithIngress("games.example.com", ingressClass: "nginx", controllerNamespace: "ingress-nginx", clusterIssuer: "letsencrypt-staging")
                .WithDeployEnvironment("dev")
                .WithDeployEnvironment("prod", prod);
        });

        return (TypedManifests.LoadKustomization(Path.Combine(output, "overlays", "dev")), TypedManifests.LoadKustomization(Path.Combine(output, "overlays", "prod")));
    }

    private static V1NetworkPolicy Policy(List<object> objects, string name) => objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == name);

    [Fact]
    public async Task PodsLookNamesUpAtKubeDnsUnlessTheEnvironmentNamesItsOwnDnsServers()
    {
        using var output = new TemporaryDirectory();
        var (dev, prod) = await PublishAsync(output.Path, prod => prod.WithDns(
            DnsPeer.NodeLocal(),
            DnsPeer.Pods("openshift-dns", new Dictionary<string, string> { ["dns.operator.openshift.io/daemonset-dns"] = "default" }, port: 5353)));

        var kubeDns = Assert.Single(Policy(dev, "allow-dns").Spec.Egress);
        Assert.Equal("kube-system", Assert.Single(kubeDns.To).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal("kube-dns", kubeDns.To[0].PodSelector.MatchLabels["k8s-app"]);
        Assert.Equal(["53/UDP", "53/TCP"], kubeDns.Ports.Select(p => $"{p.Port.Value}/{p.Protocol}"));

        var rules = Policy(prod, "allow-dns").Spec.Egress;
        Assert.Equal(2, rules.Count);
        Assert.Equal("169.254.20.10/32", Assert.Single(rules[0].To).IpBlock.Cidr);
        Assert.Equal("openshift-dns", Assert.Single(rules[1].To).NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
        Assert.Equal(["5353/UDP", "5353/TCP"], rules[1].Ports.Select(p => $"{p.Port.Value}/{p.Protocol}"));
    }

    [Fact]
    public void AnAddressThatIsNotIPv4IsRefusedForNodeLocalDns()
    {
        var error = Assert.Throws<ArgumentException>(() => DnsPeer.NodeLocal("dns.local"));
        Assert.Contains("'dns.local' is not an IPv4 address", error.Message);
    }

    [Fact]
    public async Task ExternalEndpointsAreServedOverTlsWithACertificateFromTheEnvironmentsIssuer()
    {
        using var output = new TemporaryDirectory();
        var (dev, prod) = await PublishAsync(output.Path, _ => { });

        foreach (var (objects, env) in new[] { (dev, "dev"), (prod, "prod") })
        {
            var ingress = objects.OfType<V1Ingress>().Single();
            var host = $"web.{env}.games.example.com";
            Assert.Equal(host, Assert.Single(ingress.Spec.Rules).Host);
            var tls = Assert.Single(ingress.Spec.Tls);
            Assert.Equal([host], tls.Hosts);
            Assert.Equal("web-tls", tls.SecretName);
            Assert.Equal("letsencrypt-staging", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
            Assert.Equal("nginx", ingress.Spec.IngressClassName);
        }
    }

    [Fact]
    public async Task AnEnvironmentCanUseItsOwnIngressClassControllerAndIssuer()
    {
        using var output = new TemporaryDirectory();
        var (dev, prod) = await PublishAsync(output.Path, prod => prod.WithIngress(ingressClass: "traefik", controllerNamespace: "traefik", clusterIssuer: "letsencrypt-prod"));

        var ingress = prod.OfType<V1Ingress>().Single();
        Assert.Equal("traefik", ingress.Spec.IngressClassName);
        Assert.Equal("letsencrypt-prod", ingress.Metadata.Annotations["cert-manager.io/cluster-issuer"]);
        Assert.Equal("nginx", dev.OfType<V1Ingress>().Single().Spec.IngressClassName);

        // Only the environment's own controller may reach the endpoint (the other rule is the monitoring namespace's, on the management port).
        static string From(List<object> objects) => Assert.Single(Policy(objects, "web").Spec.Ingress, rule => rule.Ports.Any(p => p.Port.Value != "9464")).FromProperty.Single().NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"];
        Assert.Equal("traefik", From(prod));
        Assert.Equal("ingress-nginx", From(dev));
    }
}
