namespace Stack.Hosting.GitOps;

/// <summary>
/// The graph holds something the Kubernetes publisher cannot express, or its output breaks a rule.
/// The message names the resource and says what to change; publish stops before writing anything.
/// </summary>
public sealed class GitOpsPublishException(string message) : Exception(message);
