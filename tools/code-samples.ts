/**
 * The spec's code samples: files under openapi/code_samples/<lang>/<path file>/<method>.<ext>,
 * which each operation's `x-codeSamples` points to (Redocly's bundler inlines them). The tests
 * of each language run these very files; this finds them for them, from the hand-written spec.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { operationsOf, root, type Json } from './project.ts';

export interface CodeSample {
  operationId: string;
  /** `lang` of the x-codeSamples entry, which is also the name of its folder. */
  lang: string;
  /** What the docs' tab says: the entry's `label`, or its `lang`. */
  label: string;
  /** Its absolute path. */
  file: string;
  /** Its path from the project's root, for messages. */
  name: string;
}

const specRoot = join(root, 'openapi', 'openapi.yaml');
const readYaml = (file: string): Json => parse(readFileSync(file, 'utf8'));

/** Every operation's code samples, in the order of the spec: its paths, methods and tabs. */
export function codeSamples(): CodeSample[] {
  const samples: CodeSample[] = [];
  for (const [path, item] of Object.entries(readYaml(specRoot).paths as Json)) {
    if (!item.$ref) throw new Error(`openapi/openapi.yaml: ${path} is not a $ref to a file of paths/`);
    const pathFile = join(dirname(specRoot), item.$ref);
    for (const { operation } of operationsOf({ paths: { [path]: readYaml(pathFile) } })) {
      for (const { lang, label, source } of operation['x-codeSamples'] ?? []) {
        if (!source?.$ref) throw new Error(`${relative(root, pathFile)}: the ${lang} sample of ${operation.operationId} is not a file`);
        const file = join(dirname(pathFile), source.$ref);
        samples.push({ operationId: operation.operationId, lang, label: label ?? lang, file, name: relative(root, file) });
      }
    }
  }
  return samples;
}

/** The samples of one language, by operationId. */
export function codeSamplesOf(lang: string): Map<string, CodeSample> {
  return new Map(codeSamples().flatMap((sample) => (sample.lang === lang ? [[sample.operationId, sample]] : [])));
}
