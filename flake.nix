{
  description = "Stack: a dev shell with the pinned toolchain, and the leaderboard image built by Nix";

  # One nixpkgs revision (flake.lock) pins kubectl, terraform, the runtime and every build tool.
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs =
    { self, nixpkgs }:
    let
      # The SDK global.json names (a test holds them equal), from Microsoft's tarball of that
      # version (checksums of the published release): `dotnet --version` in the shell is CI's.
      sdkVersion = "10.0.401";
      sdkTarballs = {
        x86_64-linux = {
          url = "https://builds.dotnet.microsoft.com/dotnet/Sdk/${sdkVersion}/dotnet-sdk-${sdkVersion}-linux-x64.tar.gz";
          hash = "sha512-Uci5ma+ejdmZjJ7cWUThmpB4iGIGis04aU4JiIkFTOjCPU8MXMz6Fr8YfQRFYjWeXuaan4rQu+kTupAxH7ziWw==";
        };
        aarch64-linux = {
          url = "https://builds.dotnet.microsoft.com/dotnet/Sdk/${sdkVersion}/dotnet-sdk-${sdkVersion}-linux-arm64.tar.gz";
          hash = "sha512-WKznPO1rQ2B1Rommhr37ijF/TabLi7QW28fQup9H5D48CfXrHxoc+qy9EN+VWNpIgr8qXhldarVqAsH592EC7Q==";
        };
      };
      systems = builtins.attrNames sdkTarballs;

      # NuGet packages of the leaderboard, generated from its packages.lock.json by
      # build/nix-nuget-deps.py (a test re-runs it and expects no difference).
      nugetDeps = ./nix/leaderboard-api-deps.json;

      forEachSystem =
        f:
        nixpkgs.lib.genAttrs systems (
          system:
          f system (
            import nixpkgs {
              inherit system;
              # terraform is under the BUSL since 1.6; nothing else unfree is allowed in.
              config.allowUnfreePredicate = package: nixpkgs.lib.getName package == "terraform";
            }
          )
        );

      sdkFor =
        system: pkgs:
        pkgs.dotnetCorePackages.sdk_10_0-bin.overrideAttrs (_: {
          version = sdkVersion;
          src = pkgs.fetchurl sdkTarballs.${system};
        });
    in
    {
      # Outputs that need no input: they evaluate offline (tests/Stack.Hosting.Tests, NixFlakeTests).
      lib = {
        inherit sdkVersion systems;
        nugetDeps = builtins.fromJSON (builtins.readFile nugetDeps);
      };

      devShells = forEachSystem (
        system: pkgs: {
          default = pkgs.mkShell {
            packages = [
              (sdkFor system pkgs)
              pkgs.kubectl
              pkgs.terraform
            ];
            DOTNET_CLI_TELEMETRY_OPTOUT = "1";
          };
        }
      );

      packages = forEachSystem (
        system: pkgs: rec {
          leaderboard-api = pkgs.buildDotnetModule {
            pname = "leaderboard-api";
            version = self.shortRev or "dirty";
            src = self;
            projectFile = "src/Leaderboard.Api/Leaderboard.Api.csproj";
            inherit nugetDeps;
            dotnet-sdk = sdkFor system pkgs;
            dotnet-runtime = pkgs.dotnetCorePackages.aspnetcore_10_0;
            executables = [ "Leaderboard.Api" ];
          };

          # The image: only the service and its runtime closure, as the non-root user the
          # policies require, with every file time and the creation time fixed (bit-for-bit).
          leaderboard-image = pkgs.dockerTools.buildLayeredImage {
            name = "leaderboard-api";
            tag = self.shortRev or "dirty";
            contents = [ pkgs.cacert ];
            config = {
              Entrypoint = [ "${leaderboard-api}/bin/Leaderboard.Api" ];
              User = "1654:1654";
              ExposedPorts."8080/tcp" = { };
              Env = [
                "ASPNETCORE_HTTP_PORTS=8080"
                "DOTNET_RUNNING_IN_CONTAINER=true"
              ];
            };
          };

          default = leaderboard-image;
        }
      );
    };
}
