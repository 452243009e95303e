#!/bin/sh
# `tz` on the image's PATH: `docker compose run --rm init tz certs status`, `docker compose exec repository tz …`
exec node /app/dist/apps/cli/tz.cjs "$@"
