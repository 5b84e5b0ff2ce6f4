/**
 * What a user installs: both tarballs, packed as a publish packs them, into an empty project,
 * weighed (`du` of node_modules) and timed, against `@stoplight/prism-cli` (the version the
 * project pins) installed the same way in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installInto, installPacked } from '../tools/install-packed.ts';
import { packageJson } from '../tools/project.ts';
import type { Bench, Measured } from './context.ts';

const PRISM_CLI = `@stoplight/prism-cli@${packageJson.devDependencies['@stoplight/prism-cli']}`;
const TARGET_BYTES = 10_000_000;

export async function install({ progress }: Bench): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-install-'));
  try {
    progress('install: both tarballs into an empty project');
    const ours = await installPacked(join(dir, 'ours'), { built: true });
    progress(`install: ${PRISM_CLI} into an empty project`);
    const prismMs = await installInto(join(dir, 'prism'), [PRISM_CLI]);
    const [oursBytes, prismBytes] = [du(join(ours.project, 'node_modules')), du(join(dir, 'prism', 'node_modules'))];
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
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes on disk, as `du` counts them (its blocks: the figure a user sees). */
const du = (path: string) => Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
