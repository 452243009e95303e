#!/usr/bin/env bash
# The Docker step of .ci/run: Docker (Debian's docker.io) installed and started when missing, the
# air-gapped base images (docker/base-images.sh, skipped when up to date), every image target built
# with BuildKit, each image checked (docker/check-images.sh). Everything it uses is on this machine
# or its package mirrors: no image registry. Prints the time of each part; fails loudly.
#   TZ_IMAGES_JSON  where check-images.sh writes the sizes (default: none)
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
part() { echo "--- docker: $* ($(( $(date +%s) - t0 ))s)"; }

# Debian's client: the one in /usr/local/bin (if any) wants the buildx plugin for BuildKit builds.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER="$(command -v docker || true)"; fi
if [ -z "$DOCKER" ] || ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  part "installing docker.io and debootstrap"
  [ "$(id -u)" = 0 ] || { echo "docker.io / debootstrap missing and not root" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null; }
  DOCKER=/usr/bin/docker
fi
export DOCKER DOCKER_BUILDKIT=1
if ! "$DOCKER" info >/dev/null 2>&1; then
  part "starting dockerd"
  [ "$(id -u)" = 0 ] || { echo "dockerd is not running and not root" >&2; exit 1; }
  nohup dockerd >/tmp/tz-ci-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
  "$DOCKER" info >/dev/null 2>&1 || { tail -n 30 /tmp/tz-ci-dockerd.log >&2; echo "dockerd did not start" >&2; exit 1; }
fi

part "base images"
bash docker/base-images.sh
part "base image contract (postgres, redis as compose runs them)"
bash docker/check-base-images.sh

version="$(node -p 'require("./package.json").version')"
for target in repository engine proxy cli; do
  part "docker build --target $target"
  # One builder and one prod-deps stage for all targets: BuildKit reuses them (and the npm ci layer)
  # after the first target; --progress=plain keeps a failing step's output in the CI log.
  "$DOCKER" build --progress=plain -f docker/Dockerfile --target "$target" -t "trustzone/$target:$version" . > "/tmp/tz-ci-build-$target.log" 2>&1 \
    || { tail -n 60 "/tmp/tz-ci-build-$target.log" >&2; echo "docker build --target $target failed" >&2; exit 1; }
done

part "image checks"
if [ -n "${TZ_IMAGES_JSON:-}" ]; then bash docker/check-images.sh --json "$TZ_IMAGES_JSON"; else bash docker/check-images.sh; fi
part "done"
