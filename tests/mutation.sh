#!/usr/bin/env bash
# Mutation testing with Stryker.NET: it changes the code under test one small mutation at a time
# (a flipped comparison, a dropped condition, an emptied string) and runs the tests against each
# mutant. A mutant no test notices "survives": a regression that would slip through. Each project's
# score must reach its target, the `break` threshold in its tests/<project>/stryker-config.json.
#
#   bash tests/mutation.sh          the pure projects, whose tests run in milliseconds (what CI runs)
#   bash tests/mutation.sh --all    also the service-backed projects (real PostgreSQL and Redis; slow)
#
# Reports (HTML and JSON, with every surviving mutant) go to tests/<project>/StrykerOutput.
# Ends with one line per project: "Mutation score: <project> <score>% (target <n>%)".
set -uo pipefail
cd "$(dirname "$0")/.."

projects=(Stack.Policy.Tests Stack.GitOps.Tests Leaderboard.Core.Tests Leaderboard.Stats.Tests)
if [ "${1:-}" = "--all" ]; then
  projects+=(Stack.Hosting.Tests Leaderboard.Api.Tests)
elif [ $# -gt 0 ]; then
  echo "usage: bash tests/mutation.sh [--all]" >&2
  exit 2
fi

dotnet tool restore >/dev/null 2>&1 || dotnet tool restore >/dev/null || { echo "dotnet tool restore failed" >&2; exit 1; }

status=0
summary=()
for project in "${projects[@]}"; do
  echo "Mutation testing: tests/$project"
  log=$(mktemp)
  (cd "tests/$project" && dotnet stryker --output StrykerOutput) 2>&1 | tee "$log" | grep -E "Killed:|Survived:|Timeout:|final mutation score|below the break"
  result=${PIPESTATUS[0]}
  score=$(grep -oE "final mutation score is [0-9.]+" "$log" | grep -oE "[0-9.]+$" || echo "?")
  target=$(grep -oE '"break": *[0-9]+' "tests/$project/stryker-config.json" | grep -oE "[0-9]+$")
  rm -f "$log"
  summary+=("Mutation score: ${project%.Tests} ${score}% (target ${target}%)")
  if [ "$result" -ne 0 ] || [ "$score" = "?" ]; then
    summary[-1]+=" FAILED"
    status=1
  fi
done

printf '%s\n' "${summary[@]}"
exit "$status"
