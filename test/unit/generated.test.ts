/**
 * generated/ is committed, so it must be exactly what the build writes from the spec now.
 * Forgetting `npm run build` after editing openapi/ fails here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, generatedDir } from '../../tools/project.ts';
import { node } from '../support/run.ts';

describe('generated/', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'generated-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what the build writes now, file for file and byte for byte', () => {
    const build = node([bin.tsx, 'scripts/build.ts', '--out', fresh]);
    expect(build.status, build.output).toBe(0);

    const committed = readdirSync(generatedDir).sort();
    expect(readdirSync(fresh).sort()).toEqual(committed);
    const drifted = committed.filter((file) => readFileSync(join(fresh, file), 'utf8') !== readFileSync(join(generatedDir, file), 'utf8'));
    expect(drifted, 'run `npm run build` and commit generated/').toEqual([]);
  });
});
