/**
 * The TypeScript compiler over the whole project under `strict`: sources, scripts, tests and
 * the type tests in test/types/, whose `@ts-expect-error` lines fail the check when the
 * generated types stop rejecting what they must reject.
 */
import { describe, expect, it } from 'vitest';
import { bin } from '../scripts/lib/project.ts';
import { node } from './support/run.ts';

describe('tsc --noEmit', () => {
  it('finds no type error', () => {
    const { status, output } = node([bin.tsc, '-p', 'tsconfig.json'], { timeoutMs: 180_000 });
    expect(output).toBe('');
    expect(status).toBe(0);
  });
});
