#!/bin/sh
# Creates the secrets docker-compose.yml reads. Usage: sh docker/make-secrets.sh [DIR]   (default: docker/secrets)
#   postgres_password  uid 999 (postgres image)     database_url  uid 10001 (trustzone service user)
#   redis_acl          uid 999 (redis image)        redis_url     uid 10001 (the proxies)
# Each file is mode 0400 and owned by the one uid that reads it (compose hands file secrets to the
# container as bind mounts, so the host file's owner and mode are what the service sees).
# Each pair shares one random password. A pair that exists is left alone (rotating a password means
# changing it on both sides: docs/deployment.md); a pair with one file missing is an error.
set -eu
dir="${1:-$(dirname "$0")/secrets}"
service_uid="${TZ_SERVICE_UID:-10001}"
postgres_uid="${TZ_POSTGRES_UID:-999}"
redis_uid="${TZ_REDIS_UID:-999}"
umask 077
mkdir -p "$dir"

# 192 random bits as hex: nothing in it needs escaping in a URL or an ACL line.
random_password() {
  p=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
  [ ${#p} -eq 48 ] || { echo "make-secrets: could not read /dev/urandom" >&2; exit 1; }
  printf '%s' "$p"
}

# make_pair SERVER_FILE SERVER_UID SERVER_CONTENT_FORMAT CLIENT_FILE CLIENT_FORMAT: both formats take the password once.
make_pair() {
  server="$1" server_uid="$2" server_format="$3" client="$4" client_format="$5"
  if [ -e "$dir/$server" ] && [ -e "$dir/$client" ]; then
    echo "make-secrets: $dir/$server and $dir/$client exist; left alone"
    return
  fi
  if [ -e "$dir/$server" ] || [ -e "$dir/$client" ]; then
    echo "make-secrets: only one of $dir/$server and $dir/$client exists; remove it or restore the other (they share a password)" >&2
    exit 1
  fi
  password=$(random_password)
  # shellcheck disable=SC2059 # the formats are ours, fixed below
  printf "$server_format" "$password" > "$dir/$server"
  # shellcheck disable=SC2059
  printf "$client_format" "$password" > "$dir/$client"
  chmod 0400 "$dir/$server" "$dir/$client"
  if [ "$(id -u)" = 0 ]; then
    chown "$server_uid:$server_uid" "$dir/$server"
    chown "$service_uid:$service_uid" "$dir/$client"
    echo "make-secrets: wrote $dir/$server (uid $server_uid) and $dir/$client (uid $service_uid), mode 0400"
  else
    echo "make-secrets: wrote $dir/$server and $dir/$client (mode 0400, owned by you)."
    echo "  The containers read them as other users; as root run:"
    echo "  chown $server_uid:$server_uid $dir/$server && chown $service_uid:$service_uid $dir/$client"
  fi
}

make_pair postgres_password "$postgres_uid" '%s' database_url 'postgresql://trustzone:%s@postgres:5432/trustzone'
# Redis (profile "scale"): the default user needs the password; the proxies' URL carries it.
make_pair redis_acl "$redis_uid" 'user default on >%s ~* &* +@all\n' redis_url 'redis://:%s@redis:6379'
