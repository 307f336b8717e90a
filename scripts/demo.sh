#!/usr/bin/env bash
# The lab demo: installs prerequisites, builds mnp, brings up a small Multus-like cluster of network
# namespaces (examples/lab), probes it before and after applying MultiNetworkPolicies, shows the
# rules and a trace, then tears everything down. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
dotnet build src/Agent/Mnp.Agent.csproj -c Release -nologo -v q
mnp() { dotnet src/Agent/bin/Release/net10.0/mnp.dll "$@"; }
lab=demo
trap 'mnp lab down --lab "$lab" >/dev/null 2>&1 || true' EXIT
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "mnp lab up: namespaces web, api, db; networks db/net-a (IPv4) and db/net-b (IPv6); 4 pods"
mnp lab up --lab "$lab" -f examples/lab/00-cluster.yaml

step "probe before any policy: every pod reaches every other on both networks ('.' = connected)"
mnp lab probe --lab "$lab"

step "mnp matrix: what the policies will allow on db/net-a, computed without touching the kernel"
mnp matrix -f /run/mnp/lab/$lab/manifests -f examples/lab/10-policies.yaml --network db/net-a

step "mnp lab apply: three MultiNetworkPolicies for db/net-a"
mnp lab apply --lab "$lab" -f examples/lab/10-policies.yaml

step "probe after: db/net-a follows the policies ('X' = blocked), db/net-b is untouched"
mnp lab probe --lab "$lab"

step "the rules programmed into db/postgres (mnp render of the lab's current manifests)"
mnp render -f /run/mnp/lab/$lab/manifests --pod db/postgres --family ipv4

step "why can api/batch reach db/postgres but web/frontend cannot?"
mnp trace -f /run/mnp/lab/$lab/manifests --from api/batch --to db/postgres --port pg --network db/net-a || true
mnp trace -f /run/mnp/lab/$lab/manifests --from web/frontend --to db/postgres --port pg --network db/net-a || true

step "mnp lab down"
mnp lab down --lab "$lab"
trap - EXIT
echo "done: nothing of the lab is left (ip netns list)"
