#!/usr/bin/env bash
# Checks that postgres:15-bookworm and redis:7-bookworm (official or docker/base-images.sh stand-ins)
# keep the contract docker-compose.yml relies on, run the way compose runs them: non-root uid 999,
# read-only root, tmpfs, secrets made by docker/make-secrets.sh mounted as files (mode 0400).
#   postgres: first start from POSTGRES_USER/POSTGRES_DB/POSTGRES_PASSWORD_FILE/POSTGRES_HOST_AUTH_METHOD
#             and PGDATA in a volume; pg_isready healthy; a network login with the password works,
#             one with a wrong password is refused; a restart keeps the data.
#   redis:    started with the ACL file secret; unauthenticated ping is refused (NOAUTH, the
#             compose healthcheck), the URL of redis_url authenticates.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCKER="${DOCKER:-docker}"
id="tzbase$$"
work="$(mktemp -d /tmp/tz-check-base.XXXXXX)"
cleanup() {
  "$DOCKER" rm -f "$id-pg" "$id-redis" >/dev/null 2>&1 || true
  "$DOCKER" volume rm "$id-pgdata" >/dev/null 2>&1 || true
  "$DOCKER" network rm "$id" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-base-images: $*" >&2; "$DOCKER" logs "$id-pg" 2>&1 | tail -n 20 >&2 || true; exit 1; }
sh docker/make-secrets.sh "$work/secrets" >/dev/null
"$DOCKER" network create --internal "$id" >/dev/null

pg() {
  "$DOCKER" run -d --name "$id-pg" --network "$id" --network-alias postgres --user 999:999 --read-only \
    --cap-drop ALL --security-opt no-new-privileges:true \
    --tmpfs /var/run/postgresql:size=1m,mode=0700,uid=999,gid=999 --tmpfs /tmp:size=64m,mode=0700,uid=999,gid=999 \
    -v "$id-pgdata:/var/lib/postgresql/data" -v "$work/secrets/postgres_password:/run/secrets/postgres_password:ro" \
    -e POSTGRES_USER=trustzone -e POSTGRES_DB=trustzone -e POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password \
    -e POSTGRES_HOST_AUTH_METHOD=scram-sha-256 -e PGDATA=/var/lib/postgresql/data/pgdata \
    postgres:15-bookworm >/dev/null
  for _ in $(seq 1 60); do
    "$DOCKER" exec "$id-pg" pg_isready -U trustzone -d trustzone -h 127.0.0.1 >/dev/null 2>&1 && return 0
    sleep 1
  done
  fail "postgres: not ready after 60 s"
}
psql_as() { # URL → output of `select current_user, current_database()`
  "$DOCKER" run --rm --network "$id" --entrypoint psql postgres:15-bookworm "$1" -Atc 'select current_user || $$/$$ || current_database()' 2>&1
}
pg
url="$(cat "$work/secrets/database_url")"
# database_url names the compose host `postgres` and the trustzone database (docker/make-secrets.sh).
out="$(psql_as "$url")" || fail "postgres: login with database_url failed: $out"
[ "$out" = trustzone/trustzone ] || fail "postgres: logged in as '$out'"
"$DOCKER" run --rm --network "$id" --entrypoint psql postgres:15-bookworm "$url" -c 'create table kept (x int); insert into kept values (42)' >/dev/null
wrong="$(echo "$url" | sed -E 's#(://[^:]+:)[^@]+@#\1wrong@#')"
if out="$(psql_as "$wrong")"; then fail "postgres: a wrong password was accepted ($out)"; fi
case "$out" in *"password authentication failed"*) ;; *) fail "postgres: wrong password refused for another reason: $out" ;; esac
"$DOCKER" stop -t 20 "$id-pg" >/dev/null && "$DOCKER" rm "$id-pg" >/dev/null
pg
kept="$("$DOCKER" run --rm --network "$id" --entrypoint psql postgres:15-bookworm "$url" -Atc 'select x from kept')" || fail "postgres: no data after restart"
[ "$kept" = 42 ] || fail "postgres: data after restart is '$kept'"
echo "check-base-images: postgres:15-bookworm ok (uid 999, read-only root, POSTGRES_*_FILE init, scram login, wrong password refused, data kept)"

"$DOCKER" run -d --name "$id-redis" --network "$id" --network-alias redis --user 999:999 --read-only \
  --cap-drop ALL --security-opt no-new-privileges:true --tmpfs /data:size=1m,mode=0700,uid=999,gid=999 \
  -v "$work/secrets/redis_acl:/run/secrets/redis_acl:ro" redis:7-bookworm \
  redis-server --save "" --appendonly no --protected-mode no --port 6379 --aclfile /run/secrets/redis_acl >/dev/null
for _ in $(seq 1 30); do
  "$DOCKER" exec "$id-redis" sh -c 'redis-cli -p 6379 ping 2>&1 | grep -q NOAUTH' && break
  sleep 1
done
"$DOCKER" exec "$id-redis" sh -c 'redis-cli -p 6379 ping 2>&1 | grep -q NOAUTH' || fail "redis: unauthenticated ping not refused with NOAUTH"
# The password of redis_url (redis://:<password>@redis:6379), sent as the proxies send it: AUTH <password>.
password="$(sed -E 's#^redis://:([^@]+)@.*$#\1#' "$work/secrets/redis_url")"
pong="$("$DOCKER" run --rm --network "$id" -e REDISCLI_AUTH="$password" --entrypoint redis-cli redis:7-bookworm -h redis -p 6379 ping 2>&1)"
[ "$pong" = PONG ] || fail "redis: the redis_url login answered '$pong'"
echo "check-base-images: redis:7-bookworm ok (uid 999, read-only root, ACL file secret, NOAUTH without password, redis_url authenticates)"
