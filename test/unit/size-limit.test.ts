/**
 * The bundle budget of .size-limit.json, checked by size-limit itself: the client's runtime,
 * bundled and minified as an app would ship it, gzipped, must stay within its limit, or
 * `npm test` fails. `npm run bench` reports the same figures beside openapi-fetch alone.
 */
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { root, toolEnv } from '../../tools/project.ts';

interface Check {
  name: string;
  passed?: boolean;
  size: number;
  sizeLimit?: number;
}

const sizeLimit = async (...args: string[]) => {
  const ran = await execa('size-limit', ['--json', ...args], { cwd: root, env: toolEnv, preferLocal: true, reject: false, all: true });
  return { exitCode: ran.exitCode, checks: JSON.parse(ran.stdout) as Check[], output: ran.all ?? '' };
};

describe('size-limit', () => {
  it('keeps every budgeted bundle within its limit', async () => {
    const { exitCode, checks, output } = await sizeLimit();
    const budgeted = checks.filter((check) => check.sizeLimit !== undefined);
    const configured = (JSON.parse(readFileSync(`${root}.size-limit.json`, 'utf8')) as { limit?: string }[]).filter((entry) => entry.limit);
    expect(budgeted).toHaveLength(configured.length);
    for (const check of budgeted) {
      expect(check.size, `${check.name}: ${check.size} B of ${check.sizeLimit} B`).toBeLessThanOrEqual(check.sizeLimit!);
    }
    expect(exitCode, output).toBe(0);
  });

  it('fails when a bundle is over its limit', async () => {
    const { exitCode, checks } = await sizeLimit('--limit', '1 KiB');
    expect(checks.some((check) => check.passed === false)).toBe(true);
    expect(exitCode).not.toBe(0);
  });
});
