/**
 * The TypeScript compiler over the whole project under `strict`: sources, scripts, tests and
 * the type tests in test/types/, whose `@ts-expect-error` lines fail the check when the
 * generated types stop rejecting what they must reject.
 */
import { describe, expect, it } from 'vitest';
import { bin, root } from '../../scripts/lib/project.ts';
import { node } from '../support/run.ts';

describe('tsc --noEmit', () => {
  it('finds no type error', () => {
    // Incremental: a second run re-checks only what changed since the last (the state is kept
    // in node_modules/.cache, outside the sources); a fresh clone checks everything.
    const incremental = ['--incremental', '--tsBuildInfoFile', `${root}node_modules/.cache/tsc/typecheck.tsbuildinfo`];
    const { status, output } = node([bin.tsc, '-p', 'tsconfig.json', ...incremental], { timeoutMs: 180_000 });
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
