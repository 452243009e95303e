#!/bin/sh
# `docker run image --flag` runs redis-server with it, as the official image does; as root it drops
# to the redis user (compose runs it as 999 already).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then exec setpriv --reuid=redis --regid=redis --init-groups "$@"; fi
exec "$@"
