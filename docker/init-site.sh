#!/bin/sh
# The compose one-shot `init`: creates the site in $TZ_DATA_DIR the first time, and never touches an
# existing one (no --force here, ever: a new CA would invalidate every certificate of the site).
# Hosts and the first administrator come from TZ_SITE_HOSTS / TZ_SITE_ADMIN (docker-compose.yml).
set -eu
data="${TZ_DATA_DIR:?TZ_DATA_DIR must be set}"
if [ -f "$data/site.json" ]; then
  echo "init: a site already exists in $data; leaving it as it is"
  exit 0
fi
exec node dist/apps/cli/tz.cjs init --data-dir "$data" --hosts "${TZ_SITE_HOSTS:?TZ_SITE_HOSTS must be set}" --admin "${TZ_SITE_ADMIN:-LOCAL\\admin}"
