#!/usr/bin/env bash
# Air-gapped base images: builds local stand-ins for the four images docker/Dockerfile and
# docker-compose.yml start from, so a site can be built where no image registry is reachable:
#
#   node:20-bookworm        build stage: toolchain, Node headers, npm set up for this machine's registry
#   node:20-bookworm-slim   runtime stage: Debian bookworm + Node.js, as the official image lays it out
#   postgres:15-bookworm    Debian's PostgreSQL 15 behind the official image's entrypoint contract
#   redis:7-bookworm        Debian's Redis 7, user 999, WORKDIR /data
#
# From: the Debian mirror in this machine's apt sources (debootstrap), the Node.js this machine runs
# (its binary, npm, corepack and headers), its CA bundle and its npm registry. docker/base/ holds the
# Dockerfiles and entrypoints; docs/deployment.md ("Air-gapped build") explains the contract.
#
# Idempotent: every image carries a hash of these inputs (label org.trustzone.base-inputs); when all
# four exist with the current hash nothing is built. An image with one of these tags that is NOT
# ours (an official image loaded with `docker load`) is left alone unless TZ_BASE_FORCE=1.
#
# Needs: root (debootstrap), debootstrap, docker with BuildKit. Environment:
#   DOCKER             docker client (default: docker)
#   TZ_DEBIAN_MIRROR   Debian mirror (default: the first deb.* URI of /etc/apt/sources.list*)
#   TZ_CA_BUNDLE       CA bundle for npm inside the build image (default: /etc/ssl/certs/ca-certificates.crt)
#   TZ_NPM_REGISTRY    npm registry (default: `npm config get registry`)
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER="${DOCKER:-docker}"
export DOCKER_BUILDKIT=1
say() { echo "base-images: $*"; }

mirror="${TZ_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?' | grep -v -- '-security' | head -n1 || true)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
node_bin="$(readlink -f "$(command -v node)")"
node_prefix="$(dirname "$(dirname "$node_bin")")"
node_version="$(node --version)"
case "$node_version" in v20.*) ;; *) echo "base-images: Node 20 is required, this machine has $node_version" >&2; exit 1 ;; esac
[ -f "$node_prefix/include/node/node_api.h" ] || { echo "base-images: Node headers not found in $node_prefix/include/node" >&2; exit 1; }
[ -d "$node_prefix/lib/node_modules/npm" ] || { echo "base-images: npm not found in $node_prefix/lib/node_modules" >&2; exit 1; }
ca="${TZ_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
registry="${TZ_NPM_REGISTRY:-$(npm config get registry)}"

inputs="$( { cat docker/base-images.sh docker/base/*; echo "$mirror $node_version $registry"; sha256sum "$node_bin" "$ca"; } | sha256sum | cut -c1-16)"
debian_image="trustzone-base/debian:bookworm-$inputs"
images=(node:20-bookworm-slim node:20-bookworm postgres:15-bookworm redis:7-bookworm)

label_of() { "$DOCKER" image inspect -f '{{ index .Config.Labels "org.trustzone.base-inputs" }}' "$1" 2>/dev/null || echo absent; }
todo=()
for image in "${images[@]}"; do
  label="$(label_of "$image")"
  if [ "$label" = "$inputs" ]; then continue; fi
  if [ "$label" != absent ] && [ -z "$label" ] && [ "${TZ_BASE_FORCE:-0}" != 1 ]; then
    say "$image exists and is not a stand-in (an official image?): kept; TZ_BASE_FORCE=1 replaces it"; continue
  fi
  todo+=("$image")
done
if [ ${#todo[@]} -eq 0 ]; then say "all base images up to date (inputs $inputs)"; exit 0; fi
say "building ${todo[*]} (inputs $inputs; mirror $mirror; node $node_version; registry $registry)"

work="$(mktemp -d /tmp/tz-base-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if ! "$DOCKER" image inspect "$debian_image" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || { echo "base-images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  say "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$mirror" "$mirror" > "$work/rootfs/etc/apt/sources.list"
  # As the official debian images: no recommends, no cached packages, no docs in the layers.
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$work/rootfs/etc/apt/apt.conf.d/90trustzone"
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  # Documentation, man pages and translations: dropped now and for every package installed later.
  printf 'path-exclude /usr/share/doc/*\npath-include /usr/share/doc/*/copyright\npath-exclude /usr/share/man/*\npath-exclude /usr/share/info/*\npath-exclude /usr/share/locale/*\n' \
    > "$work/rootfs/etc/dpkg/dpkg.cfg.d/90trustzone-nodoc"
  find "$work/rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$work/rootfs/usr/share/man/"* "$work/rootfs/usr/share/info/"* "$work/rootfs/usr/share/locale/"*
  tar -C "$work/rootfs" --numeric-owner -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL org.trustzone.base-inputs=$inputs" \
    --change 'CMD ["bash"]' - "$debian_image" >/dev/null
  rm -rf "$work/rootfs"
fi

# Build context: the Dockerfiles, entrypoints, this machine's Node.js, CA bundle and npm settings.
ctx="$work/ctx"
mkdir -p "$ctx/node/bin" "$ctx/node/lib/node_modules" "$ctx/node/include"
cp docker/base/* "$ctx/"
cp "$node_bin" "$ctx/node/bin/node"
cp -a "$node_prefix/lib/node_modules/npm" "$node_prefix/lib/node_modules/corepack" "$ctx/node/lib/node_modules/"
cp -a "$node_prefix/include/node" "$ctx/node/include/"
cp "$ca" "$ctx/ca-bundle.crt"
cat > "$ctx/npmrc" <<NPMRC
registry=$registry
cafile=/usr/local/etc/npm-ca.crt
nodedir=/usr/local
fund=false
audit=false
update-notifier=false
NPMRC

build() { # tag dockerfile build-args...
  local tag="$1" file="$2"; shift 2
  case " ${todo[*]} " in *" $tag "*) ;; *) return 0 ;; esac
  say "docker build $tag"
  "$DOCKER" build -q -f "$ctx/$file" --build-arg "INPUTS=$inputs" "$@" -t "$tag" "$ctx" >/dev/null
}
build node:20-bookworm-slim Dockerfile.node-slim --build-arg "DEBIAN_IMAGE=$debian_image" --build-arg "NODE_VERSION=${node_version#v}"
build node:20-bookworm Dockerfile.node --build-arg NODE_SLIM_IMAGE=node:20-bookworm-slim
build postgres:15-bookworm Dockerfile.postgres --build-arg "DEBIAN_IMAGE=$debian_image"
build redis:7-bookworm Dockerfile.redis --build-arg "DEBIAN_IMAGE=$debian_image"
# The previous generation: stand-ins replaced above (now untagged) and older debootstrap images.
"$DOCKER" image prune -f --filter label=org.trustzone.base-inputs >/dev/null
"$DOCKER" images --format '{{.Repository}}:{{.Tag}}' trustzone-base/debian | grep -vx "$debian_image" | xargs -r "$DOCKER" rmi >/dev/null || true
say "done: ${images[*]}"
