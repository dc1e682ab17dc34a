namespace Stack.Hosting.GitOps.ArgoCd;

/// <summary>
/// Argo CD's health check for its own Applications, as a resource customization in argocd-cm
/// (Lua, run by Argo CD for every Application it manages). An Application is Healthy once it is
/// synced and what it deployed is healthy; until then it reports its own health, or Progressing.
/// </summary>
public static class ApplicationHealth
{
    /// <summary>The argocd-cm key Argo CD reads the check from.</summary>
    public const string ConfigKey = "resource.customizations.health.argoproj.io_Application";

    /// <summary>The check: reads <c>obj</c> (the Application), returns <c>{ status, message }</c>.</summary>
    public const string Script = """
        local health = { status = "Progressing", message = "waiting for the application to sync and report its health" }
        local status = obj.status
        if status ~= nil and status.health ~= nil and status.health.status ~= nil then
          if status.health.status ~= "Healthy" then
            health.status = status.health.status
            health.message = status.health.message or ""
          elseif status.sync ~= nil and status.sync.status == "Synced" then
            health.status = "Healthy"
            health.message = ""
          end
        end
        return health

        """;
}
