namespace Stack.Cluster.Tests.Envtest;

/// <summary>A kubeconfig for one user of the control plane: its server, its CA, a bearer token.</summary>
internal static class Kubeconfig
{
    /// <summary>Writes the file (owner-only: it holds a token) and returns its path.</summary>
    public static string Write(string path, Uri server, string caCertificate, string user, string token)
    {
        var ca = Convert.ToBase64String(File.ReadAllBytes(caCertificate));
        File.WriteAllText(path,
            $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: stack-cluster-tests
              cluster:
                server: {server.GetLeftPart(UriPartial.Authority)}
                certificate-authority-data: {ca}
            users:
            - name: {user}
              user:
                token: {token}
            contexts:
            - name: stack-cluster-tests
              context:
                cluster: stack-cluster-tests
                user: {user}
            current-context: stack-cluster-tests

            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
