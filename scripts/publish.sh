#!/usr/bin/env bash
# Builds the release archives with `dotnet publish` (docs/deploy.md installs them):
#
#   p2pcluster-<version>-linux-x64.tar.gz   p2pcluster-<version>/
#                                              bin/        every Linux program, self-contained, in ONE folder (one
#                                                          runtime): p2p-coordinator (the silo), p2p-demo (the
#                                                          silo with a demo inside), p2p-gateway, p2p-host-agent,
#                                                          p2p-keygen, p2p-control, p2p-diagnostic, p2p-client
#                                              conf/p2p/   p2p.conf, host_node.conf
#                                              sql/  docs/ (docs/*.md, the agent's README as host-agent.md)
#                                              deploy/ (systemd/, logrotate/, prometheus/ as far as they exist)
#                                              README.md
#                                              SHA256SUMS  over every other file of the archive
#   p2pcluster-<version>-win-x64.zip        p2pcluster-<version>/
#                                              p2p-host-agent.exe, p2p-client.exe (self-contained single files)
#                                              conf/p2p/host_node.conf  docs/  README.md  SHA256SUMS
#   SHA256SUMS                              beside them, over the archives of this run
#
# The version is Directory.Build.props' VersionPrefix, or X.Y.Z when HEAD is tagged vX.Y.Z; in a git checkout the
# programs' --version also carries the commit. No .pdb symbols are shipped. Exit 2 on bad arguments, 1 when a step
# fails (it says which).
set -euo pipefail
# Its own MSBuild nodes, not ones another build on the machine left running (and may shut down under it: MSB4166).
export MSBUILDDISABLENODEREUSE=1

usage() {
  cat <<'EOF'
Usage: scripts/publish.sh [--out DIR] [--rid linux-x64|win-x64] [--print-version]

Builds p2pcluster-<version>-linux-x64.tar.gz and p2pcluster-<version>-win-x64.zip, and SHA256SUMS over them, in DIR.

  --out DIR   where the archives go (default: dist/ in the repository); created if missing
  --rid RID   build only this runtime's archive: linux-x64 or win-x64 (default: both)
  --print-version  print the version the archives would carry and exit (builds nothing)
  --help      this text
EOF
}

fail() { echo "publish.sh: $*" >&2; exit 2; }

out=""
rids=(linux-x64 win-x64)
print_version=false
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --print-version) print_version=true; shift ;;
    --out) [ $# -ge 2 ] && [ -n "$2" ] || fail "--out needs a folder"; out=$2; shift 2 ;;
    --rid)
      [ $# -ge 2 ] || fail "--rid needs linux-x64 or win-x64"
      case "$2" in linux-x64|win-x64) rids=("$2") ;; *) fail "--rid '$2': must be linux-x64 or win-x64" ;; esac
      shift 2 ;;
    *) fail "unknown argument '$1' (see --help)" ;;
  esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
# --out is relative to where the script was called from, the default to the repository.
if [ -z "$out" ]; then out="$root/dist"; fi
if ! $print_version; then mkdir -p "$out"; out=$(cd "$out" && pwd); fi
cd "$root"

tools=(dotnet)
$print_version || tools+=(sha256sum tar)
[[ " ${rids[*]} " == *" win-x64 "* ]] && ! $print_version && tools+=(zip)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || { echo "publish.sh: $tool is not installed (Debian: apt-get install $tool)" >&2; exit 1; }
done

# One version for all: a release tag wins over Directory.Build.props; the commit goes into InformationalVersion.
version_props=()
if git rev-parse --git-dir >/dev/null 2>&1; then
  version_props+=("-p:SourceRevisionId=$(git rev-parse HEAD)")
  if tag=$(git describe --tags --exact-match --match 'v[0-9]*' HEAD 2>/dev/null); then
    [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "publish.sh: tag '$tag' on HEAD is not vX.Y.Z[-suffix]" >&2; exit 1; }
    version_props+=("-p:Version=${tag#v}")
  fi
fi
version=$(dotnet msbuild src/Silo/Silo.csproj -nologo -getProperty:Version "${version_props[@]}")
[ -n "$version" ] || { echo "publish.sh: could not read the version from Directory.Build.props" >&2; exit 1; }
if $print_version; then echo "$version"; exit 0; fi
name="p2pcluster-$version"

work=$(mktemp -d /tmp/p2p-publish.XXXXXX)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# conf/, docs/, README.md of both archives.
common_files() {
  local stage=$1; shift
  mkdir -p "$stage/conf/p2p" "$stage/docs"
  for conf in "$@"; do cp "conf/p2p/$conf" "$stage/conf/p2p/"; done
  cp docs/*.md "$stage/docs/"
  cp src/HostAgent/README.md "$stage/docs/host-agent.md"
  cp README.md "$stage/"
}

# SHA256SUMS inside an archive: every file under the root folder, paths relative to it.
inner_sums() {
  (cd "$1" && find . -type f ! -path ./SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > SHA256SUMS)
}

publish() { # project rid output [extra properties...]
  local project=$1 rid=$2 output=$3; shift 3
  echo "== dotnet publish src/$project ($rid)"
  # No .pdb files (DebugType=none) and no IIS web.config: the archives hold what runs. Intermediate files go to
  # artifacts/release/ (the SDK's artifacts layout), never to src/*/obj: a restore for a runtime there would race
  # with a build or test of the same projects running meanwhile (scripts/test.sh runs test projects in parallel).
  dotnet publish "src/$project/$project.csproj" -c Release -r "$rid" --self-contained -o "$output" --nologo -v quiet \
    -p:UseArtifactsOutput=true "-p:ArtifactsPath=$root/artifacts/release" \
    -p:DebugType=none -p:IsTransformWebConfigDisabled=true "${version_props[@]}" "$@" \
    || { echo "publish.sh: dotnet publish src/$project for $rid failed" >&2; exit 1; }
}

archives=()

if [[ " ${rids[*]} " == *" linux-x64 "* ]]; then
  stage="$work/linux-x64/$name"
  # One folder, one runtime: every program is published into bin/. The silo and the demo first: they reference the
  # gateway and host agent projects, whose own publish then writes their deps.json and runtimeconfig.json.
  for project in Silo Demo Gateway HostAgent KeyGen Control Diagnostic PlayerCli; do publish "$project" linux-x64 "$stage/bin"; done
  # The apphost finds its dll by the name embedded in it, so it can carry the installed name.
  for pair in P2PCluster.Silo:p2p-coordinator P2PCluster.Gateway:p2p-gateway P2PCluster.HostAgent:p2p-host-agent; do
    apphost="$stage/bin/${pair%%:*}"
    [ -f "$apphost" ] || { echo "publish.sh: no apphost ${pair%%:*} in bin/; it has: $(cd "$stage/bin" && ls -d -- * | grep -v '\.dll$' | tr '\n' ' ')" >&2; exit 1; }
    mv "$apphost" "$stage/bin/${pair#*:}"
  done
  programs=(p2p-coordinator p2p-demo p2p-gateway p2p-host-agent p2p-keygen p2p-control p2p-diagnostic p2p-client)
  if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    for program in "${programs[@]}"; do
      said=$("$stage/bin/$program" --version) || { echo "publish.sh: bin/$program --version failed" >&2; exit 1; }
      [ "${said%%+*}" = "$version" ] || { echo "publish.sh: bin/$program --version says '$said', not $version" >&2; exit 1; }
    done
  fi
  common_files "$stage" p2p.conf host_node.conf
  mkdir -p "$stage/sql" "$stage/deploy"
  cp sql/*.sql sql/README.md "$stage/sql/"
  for dir in systemd logrotate prometheus; do
    if [ -d "deploy/$dir" ]; then cp -r "deploy/$dir" "$stage/deploy/"; fi
  done
  inner_sums "$stage"
  archive="$name-linux-x64.tar.gz"
  tar -C "$work/linux-x64" --owner=0 --group=0 --numeric-owner --sort=name -czf "$out/$archive" "$name"
  archives+=("$archive")
fi

if [[ " ${rids[*]} " == *" win-x64 "* ]]; then
  stage="$work/win-x64/$name"
  # Everything, not only native libraries, is extracted to disk at first start (%TEMP%\.net): wine 8 cannot load the
  # runtime from inside the bundle, and this way the file players get is the one tests/Release.Tests runs under wine.
  single=(-p:PublishSingleFile=true -p:IncludeAllContentForSelfExtract=true)
  publish HostAgent win-x64 "$work/win-x64/agent" "${single[@]}"
  publish PlayerCli win-x64 "$work/win-x64/client" "${single[@]}"
  mkdir -p "$stage"
  cp "$work/win-x64/agent/P2PCluster.HostAgent.exe" "$stage/p2p-host-agent.exe"
  cp "$work/win-x64/client/p2p-client.exe" "$stage/p2p-client.exe"
  common_files "$stage" host_node.conf
  inner_sums "$stage"
  archive="$name-win-x64.zip"
  rm -f "$out/$archive"
  (cd "$work/win-x64" && zip -qr -X "$out/$archive" "$name")
  archives+=("$archive")
fi

(cd "$out" && sha256sum "${archives[@]}" > SHA256SUMS)
echo "== $version in $((SECONDS - started)) s:"
(cd "$out" && ls -l "${archives[@]}" SHA256SUMS)
