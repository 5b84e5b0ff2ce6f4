/**
 * The docs' code samples (`x-codeSamples` on each operation) are cut from the code that
 * `npm test` and `npm run test:languages` run, so that a sample cannot drift from what is tested.
 * In those files a sample is the lines between two comments:
 *
 *     // sample: getDbConnsAuditingConfig        (# in shell and Python)
 *     ...
 *     // end sample
 */
import { readFileSync } from 'node:fs';
import { operationsOf, root, type Json } from './project.ts';

/** Each language of the docs, in the order of its tab, and the tested file its samples come from. */
export const SAMPLE_SOURCES = [
  { lang: 'Shell', label: 'curl', file: 'test/languages/curl/samples.sh' },
  { lang: 'TypeScript', label: 'TypeScript', file: 'test/languages/typescript/samples.test.ts' },
  { lang: 'Python', label: 'Python', file: 'test/languages/python/test_client.py' },
  { lang: 'Go', label: 'Go', file: 'test/languages/go/client_test.go' },
  { lang: 'Java', label: 'Java', file: 'test/languages/java/src/test/java/redis/auditing/ClientTest.java' },
] as const;

const START = /^(\s*)(?:\/\/|#) sample: (\w+)\s*$/;
const END = /^\s*(?:\/\/|#) end sample\s*$/;

/** The samples of one file, by operationId, each without the indentation it has there. */
export function samplesIn(text: string, file = 'the file'): Map<string, string> {
  const samples = new Map<string, string>();
  let open: { operationId: string; indent: string; lines: string[] } | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    const start = line.match(START);
    if (start) {
      if (open) throw new Error(`${file}:${index + 1}: sample ${start[2]} starts inside sample ${open.operationId}`);
      if (samples.has(start[2]!)) throw new Error(`${file}:${index + 1}: a second sample of ${start[2]}`);
      open = { operationId: start[2]!, indent: start[1]!, lines: [] };
    } else if (END.test(line)) {
      if (!open) throw new Error(`${file}:${index + 1}: "end sample" without a sample`);
      const { indent } = open;
      const dedented = open.lines.map((kept) => (kept.startsWith(indent) ? kept.slice(indent.length) : kept.trimStart()));
      samples.set(open.operationId, dedented.join('\n'));
      open = undefined;
    } else {
      open?.lines.push(line);
    }
  }
  if (open) throw new Error(`${file}: sample ${open.operationId} has no "end sample"`);
  return samples;
}

/** The document with every operation's `x-codeSamples`, one per language; fails when one is missing. */
export function withCodeSamples(doc: Json): Json {
  const copy = structuredClone(doc);
  const sources = SAMPLE_SOURCES.map((source) => ({
    ...source,
    samples: samplesIn(readFileSync(`${root}${source.file}`, 'utf8'), source.file),
  }));
  for (const { operation } of operationsOf(copy)) {
    operation['x-codeSamples'] = sources.map(({ lang, label, file, samples }) => {
      const source = samples.get(operation.operationId);
      if (source === undefined) throw new Error(`${file} has no sample of ${operation.operationId}`);
      return { lang, label, source };
    });
  }
  return copy;
}
