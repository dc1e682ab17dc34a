#!/usr/bin/env bash
# The CI gate, one command, locally and in CI:
#   build → test → image (built twice, from two clean clones, same digest) → SBOM → sign → push → verify
# then, with the local registry: smoke (the image runs read-only as its non-root user and answers
# /alive) and promotion (refused without a signature, with another key or with the registry down,
# and then the overlays are unchanged; written as tag@digest once verified).
# Each step prints "✓ step (details)" or "✗ step: one sentence" and the gate stops at the first ✗.
#
#   build/gate.sh [--skip-tests]
#
# Where images go (README, "The CI gate"):
#   STACK_IMAGE_REGISTRY   host[:port]/path of the AppHost's image-registry parameter, e.g. ghcr.io/stack-games;
#                          push credentials in STACK_REGISTRY_USERNAME / STACK_REGISTRY_PASSWORD.
#                          Unset: a registry of this run on 127.0.0.1 (Debian's docker-registry), and the
#                          offline base image (build/base-image.sh) instead of the official one.
#   STACK_SIGNING_KEY      the private key, PEM (a CI secret). Unset with the local registry: a key pair
#                          made for this run only. Never a file of the repository.
#   STACK_PUBLIC_KEY       the public key to verify with (a file); default: the one the AppHost publishes
#                          (infra/signing/cosign.pub), or this run's.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
run_tests=1
for argument in "$@"; do
  case "$argument" in
    --skip-tests) run_tests=0 ;;
    *) echo "usage: build/gate.sh [--skip-tests]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/stack-gate.XXXXXX)
chmod 755 "$work"
logs="$work/logs"
mkdir -p "$logs"
registry_pid=""
smoke_container=""
smoke_image=""
postgres_data=""
tests_line=""

cleanup() {
  [ -n "$smoke_container" ] && podman rm -f "$smoke_container" >/dev/null 2>&1
  [ -n "$smoke_image" ] && podman rmi -f "$smoke_image" >/dev/null 2>&1
  [ -n "$postgres_data" ] && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$postgres_data" -m immediate stop >/dev/null 2>&1
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step_started=$SECONDS
ok() { printf '✓ %s (%s; %d s)\n' "$1" "$2" $((SECONDS - step_started)); step_started=$SECONDS; }
# fail <step> <sentence> [log]: the log's end goes to standard error, the sentence is the last line.
fail() {
  if [ -n "${3:-}" ] && [ -s "$3" ]; then
    echo "--- last lines of $1's output:" >&2
    tail -n 25 "$3" >&2
  fi
  printf '✗ %s: %s\n' "$1" "$2"
  [ -n "$tests_line" ] && echo "$tests_line"
  exit 1
}
# The first line `stack` printed on standard error, without its prefix: its one sentence.
sentence() { grep -m1 '^stack: ' "$1" | sed 's/^stack: //'; }
stack() { dotnet "$root/src/Stack.Cli/bin/Debug/net10.0/stack.dll" "$@"; }

restore_tools() {
  local output
  output=$(dotnet tool restore 2>&1) && return 0
  grep -q "specified in the tool manifest file is not contained in the package with Package Id" <<<"$output" \
    && dotnet tool restore >/dev/null 2>&1 && return 0   # dotnet/sdk#53783: a cold tool cache fails once
  echo "$output"
  return 1
}

commit=$(git rev-parse HEAD)
short=$(git rev-parse --short=7 HEAD)
export SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
tag="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y.%m.%d)-$short"
[ -z "$(git status --porcelain --untracked-files=no)" ] || echo "note: the gate builds commit $short; changes not committed are not in the image"

# --- build: locked restore (lock files current), then the solution
if ! dotnet restore Stack.sln --locked-mode >"$logs/build.log" 2>&1; then
  fail build "the locked restore failed: a packages.lock.json does not match its project (restore without CI=true, commit the lock files)" "$logs/build.log"
fi
if [ -n "$(git status --porcelain -- '*packages.lock.json')" ]; then
  fail build "restore wrote packages.lock.json files that are not committed: $(git status --porcelain -- '*packages.lock.json' | awk '{print $2}' | tr '\n' ' ')"
fi
dotnet build Stack.sln --no-restore >>"$logs/build.log" 2>&1 || fail build "dotnet build Stack.sln failed" "$logs/build.log"
ok build "Stack.sln at $short, locked restore"

# --- test: every test of the repository (tests/run-all.sh)
if [ "$run_tests" -eq 1 ]; then
  bash tests/run-all.sh 2>&1 | tee "$logs/test.log"
  test_status=${PIPESTATUS[0]}
  tests_line=$(grep -E '^Tests: ' "$logs/test.log" | tail -1)
  [ "$test_status" -eq 0 ] || fail test "tests/run-all.sh failed (${tests_line:-no summary})"
  ok test "${tests_line#Tests: }"
else
  ok test "skipped: --skip-tests"
fi

# --- registry: the AppHost's image-registry, or one of this run on 127.0.0.1
if [ -n "${STACK_IMAGE_REGISTRY:-}" ]; then
  image_registry=${STACK_IMAGE_REGISTRY%/}
  registry_host=${image_registry%%/*}
  repository_prefix=${image_registry#*/}
  [ "$repository_prefix" = "$image_registry" ] && repository_prefix=""
  ok registry "$image_registry"
else
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  registry_host="127.0.0.1:$port"
  repository_prefix="stack-games"
  image_registry="$registry_host/$repository_prefix"
  cat >"$work/registry.yml" <<EOF
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $work/registry}
  delete: {enabled: true}
http:
  addr: $registry_host
EOF
  docker-registry serve "$work/registry.yml" >"$logs/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 50); do curl -fsS "http://$registry_host/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "http://$registry_host/v2/" >/dev/null 2>&1 || fail registry "docker-registry did not start on $registry_host" "$logs/registry.log"
  ok registry "docker-registry on $registry_host, for this run"

  base=$(bash build/base-image.sh "$registry_host" 2>"$logs/base.log") || fail "base image" "build/base-image.sh failed" "$logs/base.log"
  # Built again under another name: the images' digests can only repeat if their base's does.
  again=$(bash build/base-image.sh "$registry_host" stack-ci/base-again 2>>"$logs/base.log") || fail "base image" "build/base-image.sh failed the second time" "$logs/base.log"
  [ "${base##*@}" = "${again##*@}" ] || fail "base image" "two builds of the offline stand-in differ: ${base##*@} and ${again##*@}" "$logs/base.log"
  export STACK_BASE_IMAGE="$base"
  ok "base image" "offline stand-in $base, built twice with the same digest"
fi
base_args=()
[ -n "${STACK_BASE_IMAGE:-}" ] && base_args=("-p:ContainerBaseImage=$STACK_BASE_IMAGE")
export DOTNET_CONTAINER_INSECURE_REGISTRIES="$registry_host"
# The SDK reads its own variables for push credentials; stack reads STACK_REGISTRY_*.
if [ -n "${STACK_REGISTRY_USERNAME:-}" ]; then
  export DOTNET_CONTAINER_REGISTRY_UNAME="$STACK_REGISTRY_USERNAME" DOTNET_CONTAINER_REGISTRY_PWORD="${STACK_REGISTRY_PASSWORD:-}"
fi

# --- keys: the secret's, or a pair for this run
if [ -n "${STACK_SIGNING_KEY:-}" ]; then
  private_key="env://STACK_SIGNING_KEY"
  public_key=${STACK_PUBLIC_KEY:-infra/signing/cosign.pub}
  key_origin="STACK_SIGNING_KEY"
else
  [ -n "$registry_pid" ] || fail sign "no signing key: set STACK_SIGNING_KEY to the private key's PEM (a CI secret)"
  stack image keygen --output "$work/keys" >/dev/null 2>"$logs/keys.log" || fail sign "$(sentence "$logs/keys.log")"
  private_key="$work/keys/cosign.key"
  public_key=${STACK_PUBLIC_KEY:-$work/keys/cosign.pub}
  key_origin="a key pair made for this run"
fi

# --- image, twice from clean clones; SBOM; sign; push; verify: every project of the graph
mapfile -t projects < <(stack image projects 2>"$logs/projects.log")
[ ${#projects[@]} -gt 0 ] || fail image "no project resource in aspire-manifest.json" "$logs/projects.log"
for line in "${projects[@]}"; do
  name=${line%% *}
  project=${line#* }
  repository="${repository_prefix:+$repository_prefix/}$name"
  reference="$registry_host/$repository:$tag"
  digests=()
  for build in 1 2; do
    clone="$work/clone-$name-$build"
    git clone --quiet --no-hardlinks "$root" "$clone" && git -C "$clone" checkout --quiet "$commit" \
      || fail image "cannot clone $root at $short"
    # Git keeps no file times: every file of the checkout gets the commit's.
    (cd "$clone" && git ls-files -z | xargs -0 touch -h -d "@$SOURCE_DATE_EPOCH")
    if ! (cd "$clone" && dotnet publish "$project" -c Release -t:PublishContainer \
        -p:ContainerRegistry="$registry_host" -p:ContainerRepository="$repository" -p:ContainerImageTag="$tag" \
        "${base_args[@]}" >"$logs/image-$name-$build.log" 2>&1); then
      grep -q "CONTAINER1013\|CONTAINER1016\|Connection refused\|No such host" "$logs/image-$name-$build.log" \
        && fail image "the SDK could not push $reference: registry at $registry_host is not reachable" "$logs/image-$name-$build.log"
      fail image "dotnet publish -t:PublishContainer of $project failed (build $build)" "$logs/image-$name-$build.log"
    fi
    digest=$(stack image normalize "$reference" 2>"$logs/normalize-$name-$build.log") \
      || fail image "$(sentence "$logs/normalize-$name-$build.log")"
    digests+=("$digest")
  done
  [ "${digests[0]}" = "${digests[1]}" ] \
    || fail image "$name is not reproducible: two clean builds of $short gave ${digests[0]} and ${digests[1]}"
  digest=${digests[0]}
  ok image "$name: two clean builds of $short, both $digest"

  sbom_dir="$work/sbom-$name"
  if ! (cd "$work/clone-$name-1" && restore_tools >"$logs/sbom-$name.log" 2>&1 \
      && dotnet CycloneDX "$project" --output "$sbom_dir" --filename "$name.cdx.json" --output-format Json \
        --recursive --disable-package-restore --no-serial-number --set-name "$name" --set-version "$tag" --set-type Container \
        >>"$logs/sbom-$name.log" 2>&1); then
    fail sbom "CycloneDX could not describe $project" "$logs/sbom-$name.log"
  fi
  components=$(grep -o '"bom-ref"' "$sbom_dir/$name.cdx.json" | wc -l)
  attached=$(stack image attach-sbom "$registry_host/$repository@$digest" "$sbom_dir/$name.cdx.json" 2>"$logs/attach-$name.log") \
    || fail sbom "$(sentence "$logs/attach-$name.log")"
  ok sbom "$name: CycloneDX, $components components, attached as ${attached%% *}"

  stack image sign "$registry_host/$repository@$digest" --key "$private_key" >"$logs/sign-$name.log" 2>&1 \
    || fail sign "$(sentence "$logs/sign-$name.log")"
  ok sign "$name@$digest, $key_origin"

  # Push: the registry holds the image, its SBOM (a referrer) and its signature.
  curl_auth=()
  [ -n "${STACK_REGISTRY_USERNAME:-}" ] && curl_auth=(-u "$STACK_REGISTRY_USERNAME:${STACK_REGISTRY_PASSWORD:-}")
  scheme=https
  case "$registry_host" in localhost:*|127.*) scheme=http ;; esac
  accept='Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
  for ref in "$digest" "${digest/:/-}" "${digest/:/-}.sig"; do
    curl -fsS "${curl_auth[@]}" -H "$accept" -o /dev/null "$scheme://$registry_host/v2/$repository/manifests/$ref" 2>>"$logs/push-$name.log" \
      || fail push "the registry at $registry_host does not hold $repository:$ref" "$logs/push-$name.log"
  done
  ok push "$registry_host/$repository: image $tag, SBOM and signature ${digest/:/-}.sig"

  stack image verify "$reference" --key "$public_key" >"$logs/verify-$name.log" 2>&1 \
    || fail verify "$(sentence "$logs/verify-$name.log")"
  ok verify "$(sed 's/^verified //' "$logs/verify-$name.log")"
done

# The rest runs on a registry of this run only: it starts and breaks things.
if [ -z "$registry_pid" ]; then
  echo "$tests_line"
  exit 0
fi

# --- smoke: the first project's image runs read-only as its image's user, against a PostgreSQL of
# this run, and answers /alive (podman with runc: crun fails on this machine's cgroup mode)
name=${projects[0]%% *}
reference="$registry_host/${repository_prefix:+$repository_prefix/}$name:$tag"
if ! command -v podman >/dev/null 2>&1; then
  fail smoke "podman is not installed (tests/install-test-dependencies.sh installs it)"
fi
pg_bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")
[ -x "$pg_bin/initdb" ] || fail smoke "no PostgreSQL server programs (tests/install-test-dependencies.sh installs them)"
postgres_data="$work/postgres"
pg_port=$((20000 + RANDOM % 20000))
app_port=$((20000 + RANDOM % 20000))
install -d -o postgres -g postgres "$postgres_data"
{ runuser -u postgres -- "$pg_bin/initdb" -D "$postgres_data" -A trust -U postgres \
  && runuser -u postgres -- "$pg_bin/pg_ctl" -D "$postgres_data" -w -l "$postgres_data/log" \
       -o "-p $pg_port -k $postgres_data -c listen_addresses=127.0.0.1" start \
  && runuser -u postgres -- "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres leaderboard-db; } >"$logs/smoke.log" 2>&1 \
  || fail smoke "the PostgreSQL of the smoke run did not start" "$logs/smoke.log"
smoke_container="stack-gate-smoke-$$"
smoke_image="$reference"
podman run -d --name "$smoke_container" --tls-verify=false --runtime runc \
  --ulimit nofile=1024:20000 --ulimit nproc=1024:1024 --network host --read-only --tmpfs /tmp \
  --cap-drop ALL --security-opt no-new-privileges \
  -e ASPNETCORE_HTTP_PORTS="$app_port" \
  -e ConnectionStrings__leaderboard-db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=smoke;Database=leaderboard-db" \
  -e ConnectionStrings__cache="127.0.0.1:1,abortConnect=false" \
  -e Leaderboard__ServerKey=smoke-server-key-0123456789abcdef0123 -e Leaderboard__AdminKey=smoke-admin-key-0123456789abcdef01234 \
  "$reference" >>"$logs/smoke.log" 2>&1 || fail smoke "podman could not start $reference" "$logs/smoke.log"
alive=""
for _ in $(seq 120); do
  alive=$(curl -fsS "http://127.0.0.1:$app_port/alive" 2>/dev/null) && break
  [ "$(podman inspect -f '{{.State.Running}}' "$smoke_container" 2>/dev/null)" = "true" ] || break
  sleep 0.5
done
podman logs "$smoke_container" >>"$logs/smoke.log" 2>&1
[ -n "$alive" ] || fail smoke "$reference did not answer /alive within 60 s" "$logs/smoke.log"
uid=$(podman exec "$smoke_container" id -u 2>>"$logs/smoke.log")
[ -n "$uid" ] && [ "$uid" != "0" ] || fail smoke "$reference runs as root (uid ${uid:-unknown})" "$logs/smoke.log"
podman rm -f "$smoke_container" >/dev/null 2>&1
smoke_container=""
ok smoke "$name answered /alive ($alive) as uid $uid, read-only root, all capabilities dropped"

# --- promotion: refused without a verified signature, leaving the overlays as they were; then tag@digest
deploy="$work/deploy"
cp -r infra/deploy "$deploy"
stack image keygen --output "$work/other-key" >/dev/null
check_refused() { # <what> <expected exit> <tag> <args...>
  local what=$1 expected=$2 promoted=$3
  shift 3
  stack promote staging "$name" "$promoted" --deploy "$deploy" "$@" >"$logs/promote.log" 2>&1
  local code=$?
  [ "$code" -eq "$expected" ] || fail promotion "$what: stack promote exited $code, not $expected" "$logs/promote.log"
  diff -r infra/deploy "$deploy" >/dev/null || fail promotion "$what changed the overlays"
  echo "  refused ($what), overlays unchanged: $(sentence "$logs/promote.log")"
}
# An unsigned image: the signed one under another tag, its manifest changed (another created time).
skopeo copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$reference" "docker://$reference-unsigned" >"$logs/unsigned.log" 2>&1 \
  && stack image normalize "$reference-unsigned" --source-date-epoch $((SOURCE_DATE_EPOCH + 1)) >>"$logs/unsigned.log" 2>&1 \
  || fail promotion "could not push an unsigned copy of $reference" "$logs/unsigned.log"
check_refused "unsigned" 1 "$tag-unsigned" --registry "$image_registry" --key "$public_key"
check_refused "another key" 1 "$tag" --registry "$image_registry" --key "$work/other-key/cosign.pub"
check_refused "registry down" 2 "$tag" --registry "127.0.0.1:1/$repository_prefix" --key "$public_key"
# The graph's other images go to staging by digest first: once staging is released, the policies
# require a digest for every image there, not only for the one released last.
for line in "${projects[@]}"; do
  other=${line%% *}
  [ "$other" = "$name" ] && continue
  stack promote staging "$other" "$tag" --deploy "$deploy" --registry "$image_registry" --key "$public_key" >"$logs/promote.log" 2>&1 \
    || fail promotion "$other: $(sentence "$logs/promote.log")" "$logs/promote.log"
done
# The first release of staging: the image by digest and the commit, in one promotion; from now on the
# policies require digests there (stack-image-digests), so the policy check below means something.
stack promote staging "$name" "$tag" --revision "$commit" --deploy "$deploy" --registry "$image_registry" --key "$public_key" >"$logs/promote.log" 2>&1 \
  || fail promotion "$(sentence "$logs/promote.log")" "$logs/promote.log"
changed=$(diff -r infra/deploy/overlays/staging/images "$deploy/overlays/staging/images" | grep -c '^>')
rendered=$(kubectl kustomize "$deploy/overlays/staging" | grep -m1 -o "image: .*/$name:.*")
stack policy check "$deploy/overlays/staging" >"$logs/policy.log" 2>&1 || fail promotion "the promoted staging overlay fails the policies" "$logs/policy.log"
ok promotion "refused 3 ways with the overlays unchanged; then staging released at $short with $changed image line changed, rendering ${rendered#image: }, and it passes the policies"

[ -n "$tests_line" ] && echo "$tests_line"
exit 0
