/**
 * generated/ is committed, so it must be exactly what the build writes from the spec now.
 * Forgetting `npm run build` after editing openapi/ fails here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument, visit } from 'yaml';
import { bin, generatedDir } from '../../tools/project.ts';
import { node } from '../support/run.ts';

const ADMIN_TYPES = join(import.meta.dirname, '../../packages/mock/src/admin-api.ts');

describe('generated/', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'generated-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is what the build writes now, file for file and byte for byte', () => {
    const build = node([bin.tsx, 'scripts/build.ts', '--out', fresh]);
    expect(build.status, build.output).toBe(0);

    // The mock's admin types are written beside the rest with --out, and live in the mock's source.
    const committed = [...readdirSync(generatedDir).map((file) => join(generatedDir, file)), ADMIN_TYPES].sort();
    expect(readdirSync(fresh).sort()).toEqual(committed.map((file) => basename(file)).sort());
    const drifted = committed.filter((file) => readFileSync(join(fresh, basename(file)), 'utf8') !== readFileSync(file, 'utf8'));
    expect(drifted, 'run `npm run build` and commit generated/ and packages/mock/src/admin-api.ts').toEqual([]);
  });
});

describe('the published YAML files', () => {
  const files = readdirSync(generatedDir).filter((file) => file.endsWith('.yaml'));

  it.each(files)('%s has no anchors or aliases (some tools do not follow them)', (file) => {
    const document = parseDocument(readFileSync(join(generatedDir, file), 'utf8'));
    const found: string[] = [];
    visit(document, {
      Alias: (_key, node) => void found.push(`*${node.source}`),
      Node: (_key, node) => void (node.anchor && found.push(`&${node.anchor}`)),
    });
    expect(found).toEqual([]);
  });

  it('are both spec files', () => {
    expect(files.sort()).toEqual(['asyncapi.yaml', 'openapi.yaml']);
  });
});
