// The breaking-change gate: oasdiff with the contract's policy, plus what oasdiff does not judge.
import { readFileSync } from 'node:fs';
import { ERR, oasdiff, type OasdiffChange } from './oasdiff.ts';
import { uncheckedBreakingChanges } from './unchecked-by-oasdiff.ts';

export interface Verdict {
  /** The breaking changes (level ERR): oasdiff's, then those checked beside it. */
  breaking: OasdiffChange[];
  /** Changes oasdiff calls possibly breaking (WARN): shown, not failing. */
  warnings: OasdiffChange[];
}

/** A usage error or a spec that cannot be read or loaded: the gate cannot judge. */
export class GateError extends Error {}

/** Compares two spec files (bundled OpenAPI, JSON or YAML). */
export async function judge(base: string, revision: string): Promise<Verdict> {
  for (const file of [base, revision]) {
    try {
      readFileSync(file);
    } catch (error) {
      throw new GateError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  // Both oasdiff runs at once; a spec oasdiff cannot load fails both, and the first says why.
  const [run, unchecked] = await Promise.all([
    oasdiff('breaking', base, revision, ['--format', 'json']),
    uncheckedBreakingChanges(base, revision).catch((error: Error) => error),
  ]);
  // oasdiff exits 1 when a change reached the failing level, 0 when none did, other codes when
  // it could not load a spec (its message is then on stderr, "Error: failed to load ...").
  if (run.status !== 0 && run.status !== 1) {
    throw new GateError(`oasdiff could not compare the specs: ${firstLine(run.stderr || run.stdout).replace(/^Error: /, '')}`);
  }
  const changes: OasdiffChange[] = JSON.parse(run.stdout || '[]');
  const breaking = changes.filter((change) => change.level >= ERR);
  if ((run.status === 1) !== breaking.length > 0) {
    throw new GateError(`oasdiff exited ${run.status} with ${breaking.length} breaking changes`);
  }
  if (unchecked instanceof Error) throw unchecked;
  return {
    breaking: [...breaking, ...unchecked],
    warnings: changes.filter((change) => change.level < ERR),
  };
}

/** One line per change: its rule id, where, and what. */
export const formatChanges = (changes: OasdiffChange[]): string =>
  changes.map((change) => `  [${change.id}] ${change.operation ? `${change.operation} ${change.path}: ` : ''}${change.text}`).join('\n');

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
