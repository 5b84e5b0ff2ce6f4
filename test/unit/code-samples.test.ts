/**
 * The code samples are files of the spec (openapi/code_samples/), one per operation and
 * language, and the bundled spec carries each one as it is written: the tests of each language
 * run those same files (test/languages/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeSamples } from '../../tools/code-samples.ts';
import { root } from '../../tools/project.ts';
import { OPERATIONS, operation } from '../support/facts.ts';

const samples = codeSamples();
const folder = join(root, 'openapi', 'code_samples');

describe('the code samples', () => {
  it('give every operation one sample in each language of code_samples/, in one order', () => {
    const languages = readdirSync(folder).sort();
    const tabs = (operationId: string) => samples.filter((sample) => sample.operationId === operationId).map(({ lang }) => lang);
    const first = tabs(OPERATIONS[0]!.operationId);
    expect([...first].sort()).toEqual(languages);
    for (const { operationId } of OPERATIONS) expect(tabs(operationId), operationId).toEqual(first);
  });

  it('are each a file in the folder of its language, and every file there is a sample', () => {
    for (const { name, lang } of samples) expect(name.startsWith(`openapi/code_samples/${lang}/`), name).toBe(true);
    const files = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    const names = files.map((entry) => relative(root, join(entry.parentPath, entry.name)));
    expect(names.sort()).toEqual(samples.map(({ name }) => name).sort());
  });

  it('reach the bundled spec word for word', () => {
    for (const { operationId, method } of OPERATIONS) {
      const shown = operation(method)['x-codeSamples'] as { lang: string; source: string }[];
      const written = samples.filter((sample) => sample.operationId === operationId);
      expect(shown.map(({ lang }) => lang)).toEqual(written.map(({ lang }) => lang));
      for (const [index, { file }] of written.entries()) expect(shown[index]!.source).toBe(readFileSync(file, 'utf8'));
    }
  });
});
