/**
 * What a user installs: both tarballs, packed as a publish packs them, into an empty project,
 * weighed (`du` of node_modules) and timed, against `@stoplight/prism-cli` (the version the
 * project pins) installed the same way in the same run. Then, in that project, what a test file
 * pays for a mock of its own: a fresh process that imports the package, calls startMock() and
 * gets its first answer, against the same process with a bare node:http server.
 */
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { basicAuth } from '../src/index.ts';
import { PATH } from '../tools/page-examples.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installInto, installPacked } from '../tools/install-packed.ts';
import { packageJson } from '../tools/project.ts';
import type { Bench, Measured } from './context.ts';
import { median, rotate } from './plan.ts';

const PRISM_CLI = `@stoplight/prism-cli@${packageJson.devDependencies['@stoplight/prism-cli']}`;
const TARGET_BYTES = 10_000_000;

export async function install({ plan, progress }: Bench): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-install-'));
  try {
    progress('install: both tarballs into an empty project');
    const ours = await installPacked(join(dir, 'ours'), { built: true });
    progress(`install: ${PRISM_CLI} into an empty project`);
    const prismMs = await installInto(join(dir, 'prism'), [PRISM_CLI]);
    const [oursBytes, prismBytes] = [du(join(ours.project, 'node_modules')), du(join(dir, 'prism', 'node_modules'))];
    progress('a fresh process in that project: import, startMock(), first answer');
    const fresh = await freshProcesses(ours.project, plan.nodeStartups);
    return [
      {
        id: 'install.size',
        what: 'node_modules after installing both tarballs into an empty project',
        value: oursBytes,
        unit: 'B',
        baseline: { what: PRISM_CLI, value: prismBytes, unit: 'B' },
        target: { comparison: '<=', value: TARGET_BYTES, unit: 'B' },
        detail: `${(oursBytes / prismBytes).toFixed(2)}× ${PRISM_CLI}; ${mb(oursBytes)} vs ${mb(prismBytes)}`,
      },
      {
        id: 'install.time',
        what: 'npm install of both tarballs into an empty project (npm cache warm)',
        value: ours.installMs,
        unit: 'ms',
        baseline: { what: PRISM_CLI, value: prismMs, unit: 'ms' },
        detail: `${(ours.installMs / prismMs).toFixed(2)}× ${PRISM_CLI}`,
      },
      {
        id: 'mock.library.fresh-process',
        what: 'a fresh process, installed package: import, startMock(), first 200',
        value: median(fresh.mock),
        unit: 'ms',
        baseline: { what: 'the same with a bare node:http server', value: median(fresh.bare), unit: 'ms' },
        target: { comparison: '<=', value: 250, unit: 'ms' },
        detail: `${(median(fresh.mock) / median(fresh.bare)).toFixed(2)}× the bare server's`,
        data: fresh,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes on disk, as `du` counts them (its blocks: the figure a user sees). */
const du = (path: string) => Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Each script prints how long its process has lived when the first answer is in (Node's time
 * origin is the process's start), and then stops what it started.
 */
const FRESH = {
  mock: `import { startMock } from 'redis-software-auditing-db-conns-mock';
const mock = await startMock();
const answer = await fetch(mock.url + '${PATH}', { headers: { authorization: '${basicAuth(DEFAULTS.user.name, DEFAULTS.user.password)}' } });
await answer.arrayBuffer();
if (answer.status !== 200) throw new Error('the mock answered ' + answer.status);
console.log(performance.now());
await mock.stop();`,
  bare: `import { createServer } from 'node:http';
import { once } from 'node:events';
const server = createServer((request, response) => response.end('{}')).listen(0, '127.0.0.1');
await once(server, 'listening');
const answer = await fetch('http://127.0.0.1:' + server.address().port + '${PATH}');
await answer.arrayBuffer();
console.log(performance.now());
server.close();`,
};

async function freshProcesses(project: string, rounds: number): Promise<Record<keyof typeof FRESH, number[]>> {
  const times: Record<keyof typeof FRESH, number[]> = { mock: [], bare: [] };
  for (let round = 0; round < rounds; round++) {
    for (const kind of rotate(['mock', 'bare'] as const, round)) {
      const { stdout } = await execa(process.execPath, ['--input-type=module', '-e', FRESH[kind]], { cwd: project });
      times[kind].push(Number(stdout));
    }
  }
  return times;
}
