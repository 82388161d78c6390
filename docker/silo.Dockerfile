# The silo, with the orch client beside it, built from this repository (see docker-compose.yml).
# The base images are build arguments so that a machine without a registry can build from local
# stand-ins (scripts/compose-smoke.sh does).
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN dotnet publish Silo/Silo.csproj -c Release -o /out/silo \
 && dotnet publish Client/Client.csproj -c Release -o /out/orch \
 && cp docker/silo-entrypoint.sh /out/silo-entrypoint.sh

FROM ${RUNTIME_IMAGE}
COPY --from=build /out /app
ENV PATH=/app/orch:$PATH
WORKDIR /app/silo
# Dashboard and orchestrator view, silo-to-silo, client gateway.
EXPOSE 8080 11111 30000
ENTRYPOINT ["/bin/sh", "/app/silo-entrypoint.sh"]
