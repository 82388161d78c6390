#!/bin/sh
# Starts the silo, advertising this container's own address to the other silos and to clients unless
# Orleans__AdvertisedIP is given: the silo's default, 127.0.0.1, is unreachable from other containers.
set -eu
if [ -z "${Orleans__AdvertisedIP:-}" ]; then
  Orleans__AdvertisedIP=$(hostname -i | cut -d ' ' -f 1)
  export Orleans__AdvertisedIP
fi
exec dotnet /app/silo/Orchestrator.Silo.dll "$@"
