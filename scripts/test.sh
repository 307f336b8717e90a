#!/usr/bin/env bash
# The whole test suite: unit tests (no root) and privileged tests (real namespaces; they skip
# with a reason when not root). Prints one closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prereqs.sh
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
dotnet build Mnp.sln -c Release -nologo -v q
# The image's publish recipe (Dockerfile.build runs the same script): it must still publish and run.
bash scripts/publish.sh "$results/publish"
status=0
for project in tests/Unit/Mnp.Tests.Unit.csproj tests/Privileged/Mnp.Tests.Privileged.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" || status=1
done
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit $status
