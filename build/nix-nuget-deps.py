#!/usr/bin/env python3
"""Writes the NuGet dependencies of a project for nixpkgs' buildDotnetModule (its `nugetDeps` JSON:
pname, version and hash of each .nupkg), from the project's packages.lock.json.

    python3 build/nix-nuget-deps.py <packages.lock.json> <deps.json>

Nix downloads each .nupkg with fetchurl, so the hash must be the file's own (sha256, SRI form).
The lock's contentHash is not that: NuGet hashes the package without its signature. So the script
hashes the .nupkg restore put in the NuGet cache, after checking that the cache holds the package
the lock names (the cache's .nupkg.metadata carries the same contentHash). Run `dotnet restore`
first. The output is sorted and byte-identical for the same lock; a tested file must not drift.
"""
import base64
import hashlib
import json
import os
import sys


def fail(sentence):
    print(f"nix-nuget-deps: {sentence}", file=sys.stderr)
    sys.exit(1)


def main(arguments):
    if len(arguments) != 2:
        print("usage: python3 build/nix-nuget-deps.py <packages.lock.json> <deps.json>", file=sys.stderr)
        sys.exit(2)
    lock_path, output_path = arguments
    try:
        with open(lock_path, encoding="utf-8") as lock_file:
            lock = json.load(lock_file)
    except (OSError, ValueError) as error:
        fail(f"cannot read {lock_path} as a NuGet lock file ({error.__class__.__name__}).")

    cache = os.environ.get("NUGET_PACKAGES") or os.path.join(os.path.expanduser("~"), ".nuget", "packages")
    packages = {}
    for target in (lock.get("dependencies") or {}).values():
        for name, entry in target.items():
            if entry.get("type") == "Project":
                continue  # built from this repository, not downloaded
            packages[(name, entry["resolved"])] = entry["contentHash"]
    if not packages:
        fail(f"{lock_path} names no package.")

    deps = []
    for (name, version), content_hash in sorted(packages.items(), key=lambda item: (item[0][0].lower(), item[0][1])):
        folder = os.path.join(cache, name.lower(), version.lower())
        nupkg = os.path.join(folder, f"{name.lower()}.{version.lower()}.nupkg")
        try:
            with open(os.path.join(folder, ".nupkg.metadata"), encoding="utf-8") as metadata:
                cached_hash = json.load(metadata)["contentHash"]
            with open(nupkg, "rb") as package:
                digest = hashlib.sha256(package.read()).digest()
        except (OSError, ValueError, KeyError):
            fail(f"{name} {version} is not in the NuGet cache ({cache}); run dotnet restore first.")
        if cached_hash != content_hash:
            fail(f"the NuGet cache holds another {name} {version} than {lock_path} locks (contentHash differs).")
        deps.append({"pname": name, "version": version, "hash": "sha256-" + base64.b64encode(digest).decode("ascii")})

    with open(output_path, "w", encoding="utf-8", newline="\n") as output:
        json.dump(deps, output, indent=2)
        output.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
