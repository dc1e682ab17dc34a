#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian/Ubuntu machine, skipping what is present:
#   chromium      - the browser the dashboard and page tests drive through Playwright
#   redis-server  - the real Redis for process mode (without it the AppHost falls back to Garnet)
#   postgresql    - initdb/postgres for process mode (already present on CI machines)
#   prometheus    - the local Prometheus of process mode, and promtool for the rules' checks and unit tests
#   podman, runc  - a real container engine that answers but cannot pull the pinned images here (no
#                   registry is reachable): the tests prove that `auto` then chooses processes and that
#                   forced `containers` stops with one sentence (runc: crun fails on this cgroup mode)
#   mmdebstrap, umoci, skopeo, docker-registry - the image gate (build/gate.sh) without registry access:
#                   the offline base image, and a registry of its own on 127.0.0.1
#   nix-bin       - the real nix, for what of flake.nix runs offline (parse, outputs that need no input)
#   python3       - build/nix-nuget-deps.py, which the flake test re-runs
#   nodejs, npm   - GitHub's workflow parser (tests/workflow-schema, its packages locked there)
# and, not from apt: terraform (the pinned release, checked against its checksum) for the inventory
# plan and fmt tests, and the workflow parser's npm packages (npm ci, from its package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

# Terraform is not packaged by Debian: its release, at the version the tests and CI use.
terraform_version=1.11.4
terraform_sha256=268000fca5c61021c6396893d9483007ba589ad9d0aaccbd7dfa8c78bf7dbe23   # the linux_amd64 binary
install_terraform() {
  if terraform version 2>/dev/null | grep -q "^Terraform v$terraform_version\b"; then
    return 0
  fi
  local work
  work=$(mktemp -d)
  if ! curl -fsSL -o "$work/terraform.zip" "https://releases.hashicorp.com/terraform/$terraform_version/terraform_${terraform_version}_linux_amd64.zip" \
      || ! python3 -m zipfile -e "$work/terraform.zip" "$work/bin"; then
    rm -rf "$work"
    echo "The tests need terraform $terraform_version, which could not be downloaded: install it on PATH and run again." >&2
    return 2
  fi
  if [ "$(sha256sum "$work/bin/terraform" | cut -d ' ' -f 1)" != "$terraform_sha256" ]; then
    rm -rf "$work"
    echo "The downloaded terraform $terraform_version does not match its checksum; nothing was installed." >&2
    return 2
  fi
  if [ "$(id -u)" -eq 0 ]; then
    install -m 0755 "$work/bin/terraform" /usr/local/bin/terraform
  else
    sudo install -m 0755 "$work/bin/terraform" /usr/local/bin/terraform
  fi
  rm -rf "$work"
}

# The workflow parser's packages, exactly as tests/workflow-schema/package-lock.json locks them.
install_workflow_parser() {
  [ -d tests/workflow-schema/node_modules/@actions/workflow-parser ] && return 0
  npm ci --prefix tests/workflow-schema --no-audit --no-fund --loglevel=error >/dev/null \
    || { echo "npm ci in tests/workflow-schema failed: the workflow tests need its packages." >&2; return 2; }
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing+=(postgresql)
fi
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
for program in mmdebstrap umoci skopeo docker-registry; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
command -v nix-instantiate >/dev/null 2>&1 || missing+=(nix-bin)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  install_terraform
  install_workflow_parser
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt_get=(sudo apt-get)
else
  echo "The tests need: ${missing[*]}. Install them (e.g. apt-get install ${missing[*]}) and run again." >&2
  exit 2
fi

echo "Installing test dependencies: ${missing[*]}"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_terraform
install_workflow_parser
