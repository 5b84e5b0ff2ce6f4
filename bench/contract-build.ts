/**
 * The contract's build and the client's bundle. `npm run build:contract` runs as a user types it,
 * in a scratch copy of the checkout as git sees it (its tracked files and any new ones it does
 * not ignore), sharing node_modules: the build rewrites generated/ and dist/, which a test suite
 * running beside the bench may read. Whatever the build reads is there, with no list to keep.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { root, toolEnv } from '../tools/project.ts';
import type { Bench, Measured } from './context.ts';
import { median } from './plan.ts';

export async function build({ plan, progress, nodeStartupMs }: Bench): Promise<Measured[]> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-build-'));
  try {
    await copyCheckout(dir);
    const times: number[] = [];
    for (let build = 1; build <= plan.builds; build++) {
      progress(`npm run build:contract ${build} of ${plan.builds}`);
      times.push((await execa('npm', ['run', 'build:contract'], { cwd: dir, env: toolEnv })).durationMs);
    }
    return [
      {
        id: 'build',
        what: 'npm run build:contract wall time',
        value: median(times),
        unit: 'ms',
        baseline: { what: 'node -e 0', value: nodeStartupMs(), unit: 'ms' },
        target: { comparison: '<', value: 5000, unit: 'ms' },
        detail: `${(median(times) / nodeStartupMs()).toFixed(0)}× node startup; in a scratch copy of the checkout`,
        data: { times },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The checkout's files as git lists them, copied into `dir`, with this checkout's node_modules. */
async function copyCheckout(dir: string): Promise<void> {
  const { stdout } = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root });
  // A file deleted but not yet committed is listed too, and skipped.
  for (const file of stdout.split('\0').filter((file) => file && existsSync(join(root, file)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** The client's runtime as an app ships it (size-limit: bundled, minified, gzip), against openapi-fetch alone. */
export async function bundle({ progress }: Bench): Promise<Measured[]> {
  progress('bundle size');
  const { stdout } = await execa('size-limit', ['--json'], { cwd: root, env: toolEnv, preferLocal: true, reject: false });
  const checks = JSON.parse(stdout) as { name: string; size: number; sizeLimit?: number }[];
  const client = checks.find((check) => check.sizeLimit !== undefined)!;
  const openapiFetch = checks.find((check) => check.sizeLimit === undefined)!;
  return [
    {
      id: 'bundle.client.gzip',
      what: `${client.name}, minified, gzip (size-limit)`,
      value: client.size,
      unit: 'B',
      baseline: { what: openapiFetch.name, value: openapiFetch.size, unit: 'B' },
      target: { comparison: '<=', value: client.sizeLimit!, unit: 'B' },
      detail: `this package's own share: ${client.size - openapiFetch.size} B`,
      data: { checks },
    },
  ];
}
