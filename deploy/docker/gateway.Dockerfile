# The gateway: HTTP API, dashboard and health probes, an Orleans client of the silos (Orleans:Mode=Redis).
# Build from the repository root:  docker build -f deploy/docker/gateway.Dockerfile -t coopmarket-gateway .
# Configuration comes from environment variables only; see deploy/README.md for the ones a deployment must set.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Project files first: the restore layer is reused until a package or a project reference changes.
# global.json is left out on purpose: it pins this machine's SDK band, and the image brings its own 10.0 SDK.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Matching/CoopMarket.Matching.csproj src/Matching/
COPY src/Grains.Abstractions/CoopMarket.Grains.Abstractions.csproj src/Grains.Abstractions/
COPY src/Grains/CoopMarket.Grains.csproj src/Grains/
COPY src/Hosting/CoopMarket.Hosting.csproj src/Hosting/
COPY src/Gateway/CoopMarket.Gateway.csproj src/Gateway/
RUN dotnet restore src/Gateway/CoopMarket.Gateway.csproj
COPY src/ src/
RUN dotnet publish src/Gateway/CoopMarket.Gateway.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl only for the HEALTHCHECK below: the runtime image has no HTTP client of its own.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Orleans__Mode=Redis
EXPOSE 8080
# The image's unprivileged user: a compromised gateway cannot write outside what it was given.
USER $APP_UID
# Live asks nothing of Orleans or Redis, so a slow cluster never gets a healthy gateway restarted.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "CoopMarket.Gateway.dll"]
