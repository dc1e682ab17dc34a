#!/usr/bin/env bash
# Builds the offline stand-in for mcr.microsoft.com/dotnet/aspnet:10.0 and pushes it to a registry:
#   build/base-image.sh <registry host:port> [<repository>]   (prints the pushed reference, name:tag@digest)
#
# For machines without access to a public container registry (this repository's CI): a minimal
# Debian 12 root filesystem (mmdebstrap) with the ASP.NET Core runtime's native dependencies, the
# .NET shared frameworks copied from the installed SDK (Microsoft.NETCore.App and
# Microsoft.AspNetCore.App, the exact version the SDK runs), the official image's non-root user
# `app` (uid/gid 1654) and environment, made an OCI image with umoci and pushed with skopeo.
# Users build on the official image, pinned by digest in Directory.Build.props; see README.
set -euo pipefail

registry=${1:?usage: build/base-image.sh <registry host:port> [<repository>]}
repository=${2:-dotnet/aspnet}

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
runtime=$(ls "$dotnet_root/shared/Microsoft.AspNetCore.App" | sort -V | tail -1)
[ -d "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" ] || { echo "base image: no Microsoft.NETCore.App $runtime beside Microsoft.AspNetCore.App $runtime in $dotnet_root" >&2; exit 1; }
fxr=$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)

# Fixed times make the base reproducible from the same Debian packages: mmdebstrap and umoci honour
# them, and every file the build wrote is clamped to them before the layer is made.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$(dirname "$0")" log -1 --format=%ct 2>/dev/null || echo 0)}
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The same packages the official image installs (its Dockerfile's runtime-deps stage), from this machine's apt sources.
sources=$work/sources.list
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -f "$file" ] || continue
  case "$file" in *.sources) grep -q 'debian' "$file" && cp "$file" "$work/debian.sources" ;; *) grep -E '^deb .*debian' "$file" >> "$sources" || true ;; esac
done
mirror_args=()
[ -s "$sources" ] && mirror_args+=("$sources")
[ -f "$work/debian.sources" ] && mirror_args+=("$work/debian.sources")

umoci init --layout "$work/oci"
umoci new --image "$work/oci:base"
umoci unpack --image "$work/oci:base" "$work/bundle" >/dev/null
rmdir "$work/bundle/rootfs"

mmdebstrap --quiet --mode=root --variant=essential --format=directory \
  --include=ca-certificates,libc6,libgcc-s1,libicu72,libssl3,libstdc++6,tzdata,zlib1g \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook='echo "app:x:1654:" >> "$1/etc/group"; echo "app:x:1654:1654::/home/app:/usr/sbin/nologin" >> "$1/etc/passwd"; echo "app:!:0:0:99999:7:::" >> "$1/etc/shadow"' \
  --customize-hook='install -d -o 1654 -g 1654 -m 0750 "$1/home/app"' \
  --customize-hook="mkdir -p \"\$1/usr/share/dotnet/shared/Microsoft.NETCore.App\" \"\$1/usr/share/dotnet/shared/Microsoft.AspNetCore.App\" \"\$1/usr/share/dotnet/host/fxr\"" \
  --customize-hook="cp -a $dotnet_root/dotnet $dotnet_root/LICENSE.txt $dotnet_root/ThirdPartyNotices.txt \"\$1/usr/share/dotnet/\"" \
  --customize-hook="cp -a $dotnet_root/host/fxr/$fxr \"\$1/usr/share/dotnet/host/fxr/\"" \
  --customize-hook="cp -a $dotnet_root/shared/Microsoft.NETCore.App/$runtime \"\$1/usr/share/dotnet/shared/Microsoft.NETCore.App/\"" \
  --customize-hook="cp -a $dotnet_root/shared/Microsoft.AspNetCore.App/$runtime \"\$1/usr/share/dotnet/shared/Microsoft.AspNetCore.App/\"" \
  --customize-hook='ln -s /usr/share/dotnet/dotnet "$1/usr/bin/dotnet"' \
  --customize-hook='rm -rf "$1/var/cache/apt" "$1/var/lib/apt/lists" "$1/var/log"/* "$1/etc/machine-id"' \
  bookworm "$work/bundle/rootfs" "${mirror_args[@]}"

# The layer records every file's mtime: clamp what the build wrote (hooks run with /proc and /sys mounted, so here).
find "$work/bundle/rootfs" -newermt "@$SOURCE_DATE_EPOCH" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

umoci repack --image "$work/oci:base" --history.created "$created" --history.created_by "build/base-image.sh (mmdebstrap bookworm, .NET $runtime)" "$work/bundle"
umoci config --image "$work/oci:base" --created "$created" --history.created "$created" --history.created_by "build/base-image.sh: config" \
  --os linux --architecture amd64 --config.user 1654:1654 --config.workingdir /app \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.env APP_UID=1654 --config.env ASPNETCORE_HTTP_PORTS=8080 --config.env DOTNET_RUNNING_IN_CONTAINER=true \
  --config.env DOTNET_VERSION="$runtime" --config.env ASPNET_VERSION="$runtime" \
  --config.label org.opencontainers.image.description="Offline stand-in for mcr.microsoft.com/dotnet/aspnet:$runtime (Debian 12)"
umoci gc --layout "$work/oci"

skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:base" "docker://$registry/$repository:$runtime" >&2
digest=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$registry/$repository:$runtime")
echo "$registry/$repository:$runtime@$digest"
