/**
 * The TypeScript compiler over the whole project under `strict`: sources, scripts, tests and
 * the type tests in test/types/, whose `@ts-expect-error` lines fail the check when the
 * generated types stop rejecting what they must reject; and over the spec's TypeScript code
 * samples, in the context the docs give them (tsconfig.samples.json).
 */
import { describe, expect, it } from 'vitest';
import { bin, root } from '../../tools/project.ts';
import { node } from '../support/run.ts';

describe('tsc --noEmit', () => {
  it.each(['tsconfig.json', 'tsconfig.samples.json'])('finds no type error in %s', (project) => {
    // Incremental: a second run re-checks only what changed since the last (the state is kept
    // in node_modules/.cache, outside the sources); a fresh clone checks everything.
    const state = `${root}node_modules/.cache/tsc/${project.replace('.json', '.tsbuildinfo')}`;
    const { status, output } = node([bin.tsc, '-p', project, '--incremental', '--tsBuildInfoFile', state], { timeoutMs: 180_000 });
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
