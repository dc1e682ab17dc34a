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
set -euo pipefail

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

if [ ${#missing[@]} -eq 0 ]; then
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
