#!/usr/bin/env bash
# The compose site in real containers, with Debian's docker-compose 1.29 on Docker Engine 20.10:
# docker-compose.yml down-converted by tools/compose-downconvert.mjs (which proves it changed
# nothing but the four things 1.29/20.10 lack; the `site` volume becomes a host directory), the
# images of docker/ci-images.sh. Default profile, then `scale`. Checks:
#   every service healthy through its own healthcheck (init exited 0), time to healthy printed
#   no process of any service runs as root; the root filesystems are read-only (the tmpfs is not)
#   secrets are files with their owner and mode 0400
#   from a container on `frontend` only the proxies answer (443, 4243); the published proxy port answers
#   `tz certs status` and `tz site backup` from the init container
#   `down` then `up` keeps the site (same site id, same certificates)
#   the client path through the published ports (apps/site-tests/src/client/compose-site-client.ts, on
#     the host with the repo's node_modules): a ticket on the proxy API port with the certificate
#     `tz certs export` made in init, redeemed at /hub/, /qrs/app with xrfkey, an app created and
#     reloaded through /qrs, opened with enigma.js: Evaluate(Sum(AMOUNT)) = the sum of its rows
#   scale: redis, proxy2 and engine2 healthy too; proxy2 reachable from frontend, redis not; the
#     cookie from proxy works on proxy2 (Redis); engine stopped, new sessions open the app through
#     engine2; both engines stopped, a QIX open fails with "engine unavailable" within a bound
# Each part prints its time (the client prints each of its steps).
#   TZ_PUBLISH_*_PORT     host ports to publish on (default: compose's, or free ones if those are taken)
#   TZ_SITE_HEALTHY_FILE  where the cold-start-to-healthy seconds are written (default: none)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
export DOCKER DOCKER_BUILDKIT=1
if ! command -v docker-compose >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "compose-site: docker-compose missing and not root" >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
fi
t0=$(date +%s)
part() { echo "--- compose site: $* ($(( $(date +%s) - t0 ))s)"; }
fail() { echo "compose-site: FAILED: $*" >&2; dc ps >&2 || true; dc logs --tail 30 >&2 || true; exit 1; }
project="tzsite$$"
work="$(mktemp -d /tmp/tz-compose-site.XXXXXX)"
site="$work/site"
mkdir -p "$site" && chown 10001:10001 "$site" && chmod 0700 "$site"
profile=""
dc() {
  local extra=()
  [ -n "$profile" ] && extra=(--env-file docker/scale.env --profile "$profile")
  docker-compose -p "$project" --project-directory . -f "$work/compose.yml" "${extra[@]}" "$@" 2> >(grep -v 'not supported by this implementation' >&2)
}
cleanup() { profile=scale; dc down -v --remove-orphans >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
# The published host ports: the compose file's defaults when free, else free ones the kernel picks
# (another site or CI run on this host may hold 443); exported for docker-compose's interpolation.
publish_port() { # variable default (a value already in the environment is kept)
  local port="$2"
  if [ -n "${!1:-}" ]; then port="${!1}"
  elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    port="$(node -e 'const s=require("net").createServer().listen(0,"0.0.0.0",()=>{console.log(s.address().port);s.close();})')"
    echo "compose-site: host port $2 is in use; $1=$port" >&2
  fi
  export "$1=$port"
}
publish_port TZ_PUBLISH_PROXY_PORT 443
publish_port TZ_PUBLISH_PROXY_API_PORT 4243
publish_port TZ_PUBLISH_PROXY2_PORT 8444
publish_port TZ_PUBLISH_PROXY2_API_PORT 4244
sh docker/make-secrets.sh >/dev/null
convert() { node tools/compose-downconvert.mjs docker-compose.yml "$work/compose.yml" "$site" "$1"; }
cid() { dc ps -q "$1"; }
wait_healthy() { # services…: each healthy (bounded), init exited 0
  local deadline=$(( $(date +%s) + 480 )) s st
  for s in "$@"; do
    while :; do
      st="$("$DOCKER" inspect -f '{{.State.Health.Status}}' "$(cid "$s")" 2>/dev/null || echo missing)"
      [ "$st" = healthy ] && break
      [ "$st" = unhealthy ] && fail "$s is unhealthy"
      [ "$(date +%s)" -lt "$deadline" ] || fail "$s not healthy after 480 s (status $st)"
      sleep 2
    done
  done
  [ "$("$DOCKER" inspect -f '{{.State.ExitCode}} {{.State.Status}}' "$(cid init)")" = "0 exited" ] || fail "init did not exit 0"
}
frontend_probe() { # prints "<host>:<port> <result>" per target, from a container on frontend
  "$DOCKER" run --rm --network "${project}_frontend" --entrypoint node trustzone/cli:0.1.0 -e '
    const net = require("net");
    const probe = (h, p) => new Promise((r) => { const s = net.connect({ host: h, port: p, timeout: 3000 });
      s.on("connect", () => { s.destroy(); r("open"); }); s.on("error", (e) => r(e.code)); s.on("timeout", () => { s.destroy(); r("timeout"); }); });
    (async () => { for (const t of process.argv.slice(1).filter((a) => a.includes(":"))) { const [h, p] = t.split(":"); console.log(t + " " + await probe(h, Number(p))); } })();' "$@"
}
expect_frontend() { # open-targets -- closed-targets
  local out t
  out="$(frontend_probe "$@" | tr '\n' ';')"
  local mode=open
  for t in "$@"; do
    [ "$t" = -- ] && { mode=closed; continue; }
    case ";$out" in *";$t open;"*) [ $mode = open ] || fail "from frontend $t answers ($out)" ;; *) [ $mode = closed ] || fail "from frontend $t does not answer ($out)" ;; esac
  done
}
check_hardening() { # service[:writable tmpfs, default /tmp]…
  local s c uids tmp
  for s in "$@"; do
    tmp="${s#*:}"; [ "$tmp" = "$s" ] && tmp=/tmp; s="${s%%:*}"
    c="$(cid "$s")"
    uids="$("$DOCKER" exec "$c" sh -c 'for p in /proc/[0-9]*; do awk "/^Uid:/{print \$2}" $p/status 2>/dev/null; done' | sort -u | tr '\n' ' ')"
    case " $uids" in *" 0 "*) fail "$s runs a process as root (uids: $uids)" ;; esac
    "$DOCKER" exec "$c" sh -c 'touch /etc/tz-write-test' 2>/dev/null && fail "$s: wrote to /etc (root filesystem not read-only)"
    "$DOCKER" exec "$c" sh -c "touch $tmp/tz-write-test && rm $tmp/tz-write-test" || fail "$s: cannot write its $tmp tmpfs"
  done
}
secret_is() { # service path "uid mode"
  local got; got="$("$DOCKER" exec "$(cid "$1")" stat -L -c '%u %a' "$2")"
  [ "$got" = "$3" ] || fail "$1: $2 is '$got', expected '$3'"
}

part "default profile: up (cold)"
convert ""
up0=$(date +%s)
dc up -d --no-build >/dev/null || fail "docker-compose up"
wait_healthy postgres repository engine proxy
healthy_s=$(( $(date +%s) - up0 ))
echo "compose-site: default profile healthy ${healthy_s}s after up (healthchecks every 30 s: start_interval is not in 1.29)"
[ -n "${TZ_SITE_HEALTHY_FILE:-}" ] && echo "$healthy_s" > "$TZ_SITE_HEALTHY_FILE"

part "default profile: checks"
check_hardening postgres repository engine proxy
"$DOCKER" exec "$(cid proxy)" sh -c 'touch /data/certs/x' 2>/dev/null && fail "proxy: wrote to the read-only certs mount"
secret_is repository /run/secrets/database_url "10001 400"
secret_is postgres /run/secrets/postgres_password "999 400"
expect_frontend proxy:443 proxy:4243 -- repository:4242 engine:4747 postgres:5432
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$site/certs/client-facing-ca.pem" "https://localhost:$TZ_PUBLISH_PROXY_PORT/health")"
[ "$code" = 200 ] || fail "published $TZ_PUBLISH_PROXY_PORT: GET /health answered $code"
status="$(dc run --rm init tz certs status)" || fail "tz certs status: $status"
case "$status" in *root*proxy*) ;; *) fail "tz certs status printed: $status" ;; esac
backup="$(dc run --rm init tz site backup --out /data/backups/ci)" || fail "tz site backup: $backup"
[ -f "$site/backups/ci/database.pgdump" ] || fail "tz site backup wrote no database dump: $backup"

part "default profile: client path (ticket, hub, /qrs, enigma.js) through the published ports"
exported="$(dc run --rm init tz certs export --name portal --out /data/exports/portal)" || fail "tz certs export: $exported"
# The operator event went to the running repository, the trail's one writer (TZ_REPOSITORY_ADDRESS).
grep -qs 'integration:portal' "$site"/audit/audit-*.jsonl || fail "tz certs export left no audit record"
export TZ_SITE_DIR="$site"
client() { node --import tsx apps/site-tests/src/client/compose-site-client.ts "$@"; }
client default || fail "the client path (default profile)"

part "default profile: down, up keeps the site"
before="$(cat "$site/site.json" "$site/certs/root.pem" "$site/certs/proxy.pem" | sha256sum)"
dc down >/dev/null
dc up -d --no-build >/dev/null || fail "docker-compose up (again)"
wait_healthy postgres repository engine proxy
[ "$(cat "$site/site.json" "$site/certs/root.pem" "$site/certs/proxy.pem" | sha256sum)" = "$before" ] || fail "the site changed over down/up"

part "scale profile: up"
profile=scale
convert scale
dc up -d --no-build >/dev/null || fail "docker-compose --profile scale up"
wait_healthy postgres repository engine engine2 redis proxy proxy2
check_hardening redis:/data proxy2 engine2
secret_is proxy2 /run/secrets/redis_url "10001 400"
secret_is redis /run/secrets/redis_acl "999 400"
expect_frontend proxy:443 proxy2:443 -- redis:6379 engine2:4747

part "scale profile: shared sessions, engine stopped, both engines stopped"
TZ_ENGINE_CONTAINER="$(cid engine)" TZ_ENGINE2_CONTAINER="$(cid engine2)" client scale || fail "the client path (scale profile)"
part "done"
