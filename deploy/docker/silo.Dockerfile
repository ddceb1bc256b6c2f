# A silo of the distributed mode (Orleans:Mode=Redis): it hosts the grains; it serves no HTTP.
# Build from the repository root:  docker build -f deploy/docker/silo.Dockerfile -t coopmarket-silo .
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
COPY src/Silo/CoopMarket.Silo.csproj src/Silo/
RUN dotnet restore src/Silo/CoopMarket.Silo.csproj
COPY src/ src/
RUN dotnet publish src/Silo/CoopMarket.Silo.csproj -c Release --no-restore -o /app

# The ASP.NET runtime, not the bare one: the silo's runtimeconfig names Microsoft.AspNetCore.App (the Orleans dashboard
# needs it), and one base image for both hosts is pulled once per node.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV Orleans__Mode=Redis
# Silo-to-silo and client gateway ports; they match Orleans:SiloPort and Orleans:GatewayPort.
EXPOSE 11111 30000
USER $APP_UID
ENTRYPOINT ["dotnet", "CoopMarket.Silo.dll"]
