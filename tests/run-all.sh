#!/usr/bin/env bash
# Runs every test in the repository from a fresh clone: installs what the tests need, restores
# the pinned dotnet tools (Aspire CLI, Garnet, Stryker), runs the policy gate over every overlay of
# infra/deploy, builds, runs all test projects against real PostgreSQL, Redis, Chromium and a real
# Kubernetes API server, then mutation-tests the pure projects (tests/mutation.sh).
# Ends with one line: "Tests: N passed, N failed, N skipped"; exits non-zero if the gate, a test or
# a mutation score below its target fails.
set -uo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash tests/install-test-dependencies.sh || exit $?
# Restores the pinned tools. dotnet/sdk#53783 (open): on a cold tool resolver cache (a fresh machine
# or DOTNET_CLI_HOME) restore misattributes one package's commands to another and fails; the failed
# run warms the cache, so exactly one retry after that specific failure succeeds.
restore_tools() {
  local output
  output=$(dotnet tool restore 2>&1) && return 0
  if grep -q "specified in the tool manifest file is not contained in the package with Package Id" <<<"$output"; then
    echo "dotnet tool restore hit dotnet/sdk#53783 (a cold tool cache); retrying once"
    output=$(dotnet tool restore 2>&1) && return 0
    echo "dotnet tool restore failed twice, also after the retry for dotnet/sdk#53783:" >&2
  else
    echo "dotnet tool restore failed:" >&2
  fi
  echo "$output" >&2
  return 1
}
restore_tools || exit 1

# The cluster tests start a real control plane from KUBEBUILDER_ASSETS, as envtest does: unless it
# is set, take the envtest tool beside the checkout (CI clones next to shared/), else the machine's.
if [ -z "${KUBEBUILDER_ASSETS:-}" ]; then
  for envtest in ../shared/tools/envtest /work/shared/tools/envtest; do
    if [ -x "$envtest/assets" ]; then
      KUBEBUILDER_ASSETS=$("$envtest/assets") && export KUBEBUILDER_ASSETS || unset KUBEBUILDER_ASSETS
      break
    fi
  done
fi

# kustomize runs as `kubectl kustomize`; a machine without kubectl uses the one of the envtest assets.
if ! command -v kubectl >/dev/null 2>&1 && [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  export PATH="$KUBEBUILDER_ASSETS:$PATH"
fi

# The policy gate over what Argo CD would sync: every overlay of infra/deploy, rendered by kustomize.
echo "Policy gate: infra/deploy/overlays/*"
dotnet run --project src/Stack.Cli -- policy check infra/deploy/overlays/*
gate=$?

log=$(mktemp)
dotnet test Stack.sln "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] && status=$gate

# Mutation testing of the pure projects: every score must reach its target.
if [ "$status" -eq 0 ]; then
  bash tests/mutation.sh || status=$?
fi

# Sum the per-project summaries of Microsoft.Testing.Platform into one closing line.
sum() { grep -E "^\s+$1: [0-9]+" "$log" | awk '{ total += $2 } END { print total + 0 }'; }
echo "Tests: $(sum succeeded) passed, $(sum failed) failed, $(sum skipped) skipped"
rm -f "$log"
exit "$status"
