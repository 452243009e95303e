#!/bin/sh
# The compose one-shot `init`: creates the site in $TZ_DATA_DIR the first time, and never touches an
# existing one (no --force here, ever: a new CA would invalidate every certificate of the site).
# Hosts and the first administrator come from TZ_SITE_HOSTS / TZ_SITE_ADMIN (docker-compose.yml).
# On every start it also brings an existing site to the current layout (`tz site upgrade`: private
# keys out of certs/ into private/<name>/) and creates every folder the other services mount as a
# volume subpath: Docker refuses to start a container whose subpath does not exist.
set -eu
data="${TZ_DATA_DIR:?TZ_DATA_DIR must be set}"
tz() { node dist/apps/cli/tz.cjs "$@"; }
if [ -f "$data/site.json" ]; then
  echo "init: a site already exists in $data; leaving it as it is"
  tz site upgrade --data-dir "$data"
else
  tz init --data-dir "$data" --hosts "${TZ_SITE_HOSTS:?TZ_SITE_HOSTS must be set}" --admin "${TZ_SITE_ADMIN:-LOCAL\\admin}"
fi
# Folders of folder data connections (engines read them) and secrets only engines hold.
mkdir -p -m 0700 "$data/data" "$data/engine-secrets"
# A site whose app authentication key was created in keys/ (before the engine-secrets volume): move
# it where the engines read it (TZ_APP_AUTH_KEY_FILE), never making a second one.
auth="${TZ_APP_AUTH_KEY_FILE:-}"
if [ -n "$auth" ] && [ "$auth" != "$data/keys/app-auth.key" ] && [ -f "$data/keys/app-auth.key" ] && [ ! -e "$auth" ]; then
  cp -p "$data/keys/app-auth.key" "$auth.tmp" && chmod 0600 "$auth.tmp" && mv "$auth.tmp" "$auth" && rm "$data/keys/app-auth.key"
  echo "init: moved the app authentication key to $auth"
fi
