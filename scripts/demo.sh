#!/usr/bin/env bash
# The lab demo (root): builds mnp, brings up examples/lab, probes before and after the policies, shows the rules
# one pod holds, and always tears the lab down.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
dotnet build src/Agent -c Release -nologo -v q
mnp() { dotnet src/Agent/bin/Release/net10.0/mnp.dll "$@"; }
lab=demo
trap 'mnp lab down --lab "$lab" >/dev/null' EXIT
mnp lab up --lab "$lab" -f examples/lab/00-cluster.yaml
echo "== probe before the policies"
mnp lab probe --lab "$lab"
mnp lab apply --lab "$lab" -f examples/lab/10-policies.yaml
echo "== probe after the policies (X: blocked)"
mnp lab probe --lab "$lab"
echo "== the rules db/postgres holds (IPv4)"
mnp render -f "/run/mnp/lab/$lab/manifests" --pod db/postgres --family ipv4
