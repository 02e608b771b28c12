#!/usr/bin/env bash
# Regenerates the client's code (Client/Generated) from Client/openapi.json with Kiota 1.38.0 (the local
# tool of dotnet-tools.json). With --document, first copies the document the server serves over
# Client/openapi.json (through the test that compares the two). CI runs it and fails on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--document" ]; then
  MARKETPLACE_UPDATE_CLIENT_DOCUMENT=1 dotnet test tests/Marketplace.Tests \
    --filter "FullyQualifiedName~ClientDocumentTests" --logger "console;verbosity=minimal" >/dev/null
fi
dotnet tool restore >/dev/null
# --log-level Error: Kiota's update check warns without a network; the generation does not need one.
# One thread: with several, the description an enum type gets depends on which reference Kiota meets first.
KIOTA_GENERATION__MAXDEGREEOFPARALLELISM=1 KIOTA_CLI_TELEMETRY_OPTOUT=true dotnet kiota generate --language CSharp --openapi Client/openapi.json \
  --output Client/Generated --class-name MarketplaceApiClient --namespace-name Marketplace.Client.Generated \
  --exclude-backward-compatible --clean-output --log-level Error >/dev/null
rm -f Client/Generated/.kiota.log
echo "Client/Generated regenerated from Client/openapi.json."
