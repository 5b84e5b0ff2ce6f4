#!/usr/bin/env bash
# npm run test:all: every test, each step a runner beside the tests it runs. The vitest suites
# (npm test), the client and package suites again under each tested Node line
# (test/node-matrix.ts), the client under Deno and Bun (test/runtimes/run.ts), the clients
# generated in other languages (test/languages/run.ts), and schemathesis against the mock
# (test/schemathesis/run.ts); then one line "N passed, N failed" added up from each step's own
# JSON report (vitest's format: numPassedTests, numFailedTests). Whatever a step needs that is
# not in node_modules (Chromium, Node builds, Deno and Bun, generators, schemathesis) it installs
# itself, outside the project (tools/cache.ts).
set -uo pipefail
cd "$(dirname "$0")/.."

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
reports="$(mktemp -d)"
trap 'rm -rf "$reports"' EXIT
expected=()   # every step names the report it writes; a missing report counts as a failure
status=0
step() { # step NAME COMMAND...: runs the command, which writes its report to $reports/NAME.json
  local name="$1"
  shift
  expected+=("$name")
  "$@" || status=1
}

# npm's pretest step installs Debian's chromium when it is missing, and compiles both packages.
step node20 npm test -- --reporter=default --reporter=json --outputFile.json="$reports/node20.json"
step node-matrix npm run test:node-matrix -- --report "$reports/node-matrix.json"
step runtimes npm run test:runtimes -- --report "$reports/runtimes.json"
step languages npm run test:languages -- --report "$reports/languages.json"
step schemathesis npm run test:schemathesis -- --report "$reports/schemathesis.json"

# No mock or Prism process may outlive the run: the bin of this checkout or of a packed install,
# or plain Prism (the bench's baseline).
orphans="redis-auditing-mock|packages/mock/dist/cli.js|redis-software-auditing-db-conns-mock/dist/cli.js|@stoplight/prism-cli"
if pgrep -f "$orphans" >/dev/null; then
  echo "orphan mock processes after the run:"
  pgrep -af "$orphans"
  status=1
fi

node -e '
  const fs = require("node:fs");
  const [dir, ...names] = process.argv.slice(1);
  let passed = 0, failed = 0;
  for (const name of names) {
    const file = `${dir}/${name}.json`;
    if (!fs.existsSync(file)) { console.log(`no report from ${name}`); failed += 1; continue; }
    const report = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  }
  console.log(`${passed} passed, ${failed} failed`);
' "$reports" "${expected[@]}"
exit "$status"
