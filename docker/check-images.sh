#!/usr/bin/env bash
# Checks the built images themselves (what apps/site-tests/src/compose.spec.ts can only check in the
# Dockerfile's text): for each target image trustzone/<target>:<version>
#   - its user is 10001:10001 and a process started in it runs as uid 10001; /data and
#     /data/engine-secrets exist owned by it, mode 0700 (fresh named volumes take that owner)
#   - no compiler, npm, npx, yarn, corepack, python or Node headers
#   - no source maps and no TypeScript sources of ours (dist/ has no *.map; /app has no *.ts outside
#     node_modules; no workspace package @trustzone/* is shipped)
#   - the native modules load: better-sqlite3 answers a query, the AES-GCM addon round-trips
#   - `tz --version` prints the version of package.json
#   - its size (MB), printed, and written with --json FILE as {"images":{"<target>":{"size_mb":…}}}
# Exits non-zero, naming the image and the check, on the first failed check of any image.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER="${DOCKER:-docker}"
json=""
[ "${1:-}" = --json ] && json="${2:?--json needs a file}"
version="$(node -p 'require("./package.json").version')"
targets=(${TZ_IMAGE_TARGETS:-repository engine proxy cli})
fail() { echo "check-images: $1: $2" >&2; exit 1; }
# Runs a shell script in the image as its own user, no network, read-only root (as compose runs it).
in_image() { "$DOCKER" run --rm --network none --read-only --tmpfs /tmp --entrypoint sh "$1" -c "$2"; }

sizes=()
for t in "${targets[@]}"; do
  image="trustzone/$t:$version"
  "$DOCKER" image inspect "$image" >/dev/null 2>&1 || fail "$image" "image not built"
  user="$("$DOCKER" image inspect -f '{{.Config.User}}' "$image")"
  [ "$user" = 10001:10001 ] || fail "$image" "USER is '$user', expected 10001:10001"
  uid="$(in_image "$image" 'id -u'):$(in_image "$image" 'id -g')"
  [ "$uid" = 10001:10001 ] || fail "$image" "processes run as $uid, expected 10001:10001"
  # The whole-volume mount points: a fresh named volume takes their owner (root if missing).
  mounts="$(in_image "$image" 'stat -c "%n %u:%g %a" /data /data/engine-secrets' 2>&1)" || fail "$image" "mount points missing: $mounts"
  [ "$mounts" = "$(printf '/data 10001:10001 700\n/data/engine-secrets 10001:10001 700')" ] || fail "$image" "mount points: $mounts"

  tools="$(in_image "$image" 'for c in cc gcc g++ c++ clang make python3 npm npx yarn yarnpkg corepack node-gyp; do command -v "$c" || true; done
    for d in /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/include/node /opt/yarn*; do [ -e "$d" ] && echo "$d"; done; true')"
  [ -z "$tools" ] || fail "$image" "build tools present: $(echo $tools)"

  sources="$(in_image "$image" 'find /app -path /app/node_modules -prune -o \( -name "*.map" -o -name "*.ts" -o -name "*.tsx" -o -name "*.mts" -o -name "*.cts" \) -print | head -n 5
    [ -e /app/node_modules/@trustzone ] && echo /app/node_modules/@trustzone; true')"
  [ -z "$sources" ] || fail "$image" "sources or source maps shipped: $(echo $sources)"

  # better-sqlite3 (the repository's SQLite driver) and the AES-GCM addon (engines' app files).
  native="$(in_image "$image" 'cd /app && node -e "
    const db = new (require(\"better-sqlite3\"))(\":memory:\");
    const one = db.prepare(\"select 6 * 7 as x\").get().x;
    const status = require(\"./dist/native/aes_gcm.json\");
    if (!status.built) throw new Error(\"AES-GCM addon not built: \" + status.reason);
    const addon = require(\"./dist/native/aes_gcm.node\");
    const fns = Object.keys(addon).filter((k) => typeof addon[k] === \"function\");
    if (fns.length === 0) throw new Error(\"AES-GCM addon exports no function\");
    console.log(one + \" \" + fns.join(\",\"));
  "' 2>&1)" || fail "$image" "native modules do not load: $native"
  [ "${native%% *}" = 42 ] || fail "$image" "better-sqlite3 answered '$native'"

  tzv="$("$DOCKER" run --rm --network none --read-only "$image" tz --version 2>&1)" || fail "$image" "tz --version failed: $tzv"
  case "$tzv" in *"$version"*) ;; *) fail "$image" "tz --version printed '$tzv', expected $version" ;; esac

  bytes="$("$DOCKER" image inspect -f '{{.Size}}' "$image")"
  mb="$(node -p "Math.round($bytes / 1e6 * 10) / 10")"
  echo "check-images: $image ok: uid 10001, no build tools, no sources/maps, native modules load (${native#* }), tz --version: $tzv, ${mb} MB"
  sizes+=("\"$t\":{\"size_mb\":$mb}")
done
if [ -n "$json" ]; then
  (IFS=,; echo "{\"images\":{${sizes[*]}}}") > "$json"
fi
