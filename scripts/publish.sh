#!/usr/bin/env bash
# The one recipe that publishes the mnp executable: Dockerfile.build runs it in its build stage and
# scripts/test.sh runs it on every test run, so the image recipe cannot rot unnoticed.
# Usage: scripts/publish.sh OUTPUT_DIR
set -euo pipefail
out=${1:?usage: scripts/publish.sh OUTPUT_DIR}
cd "$(dirname "$0")/.."
# Framework-dependent on the ASP.NET Core shared runtime (the agent's HTTP listener needs it).
dotnet publish src/Agent/Mnp.Agent.csproj -c Release -o "$out" --nologo -v q
# The same executable is the kubectl/oc plugin: kubectl-mnp or oc-mnp on PATH makes `kubectl mnp` and
# `oc mnp` (render, trace and matrix read the kubeconfig's cluster when no -f is given).
ln -sfn mnp "$out/kubectl-mnp"
ln -sfn mnp "$out/oc-mnp"
# What was published must start and load the libraries its iptables backend binds (the kernel's
# tables are the running node's business, not the build's).
report=$("$out/mnp" version)
echo "$report"
if grep -q 'not found (install' <<<"$report"; then
  echo "publish: the published mnp cannot load libip4tc.so.2/libip6tc.so.2" >&2
  exit 1
fi
