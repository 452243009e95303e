#!/bin/sh
# Creates the secrets docker-compose.yml reads: a random PostgreSQL password and the repository's
# database URL holding it. Usage: sh docker/make-secrets.sh [DIR]   (default: docker/secrets)
# Each file is mode 0400 and owned by the one uid that reads it (compose hands file secrets to the
# container as bind mounts, so the host file's owner and mode are what the service sees):
#   postgres_password  uid 999 (postgres image)   database_url  uid 10001 (trustzone service user)
# Never overwrites: rotating the password means changing it in PostgreSQL too (docs/deployment.md).
set -eu
dir="${1:-$(dirname "$0")/secrets}"
service_uid="${TZ_SERVICE_UID:-10001}"
postgres_uid="${TZ_POSTGRES_UID:-999}"
umask 077
mkdir -p "$dir"
for f in postgres_password database_url; do
  if [ -e "$dir/$f" ]; then
    echo "make-secrets: $dir/$f exists; not touching the secrets" >&2
    exit 1
  fi
done
# 192 random bits as hex: nothing in it needs escaping in a URL.
password=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
[ ${#password} -eq 48 ] || { echo "make-secrets: could not read /dev/urandom" >&2; exit 1; }
printf '%s' "$password" > "$dir/postgres_password"
printf 'postgresql://trustzone:%s@postgres:5432/trustzone' "$password" > "$dir/database_url"
chmod 0400 "$dir/postgres_password" "$dir/database_url"
if [ "$(id -u)" = 0 ]; then
  chown "$postgres_uid:$postgres_uid" "$dir/postgres_password"
  chown "$service_uid:$service_uid" "$dir/database_url"
  echo "make-secrets: wrote $dir/postgres_password (uid $postgres_uid) and $dir/database_url (uid $service_uid), mode 0400"
else
  echo "make-secrets: wrote $dir/postgres_password and $dir/database_url (mode 0400, owned by you)."
  echo "  The containers read them as other users; as root run:"
  echo "  chown $postgres_uid:$postgres_uid $dir/postgres_password && chown $service_uid:$service_uid $dir/database_url"
fi
