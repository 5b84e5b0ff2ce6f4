/**
 * Every path of this repository that a comment names exists: a comment that points to a file
 * which moved misleads whoever follows it. A path is a word that starts with one of the
 * repository's top-level folders (test/support/mock.ts, openapi/code_samples/) in a comment of a
 * file under src/, scripts/, tools/, bench/, packages/ or test/; a placeholder ends it
 * (test/languages/<name> names test/languages/). Under packages/<name>/, a path may also be the
 * package's own: its src/ is the mock's there. Build outputs (build/, dist/) are made by a run,
 * so they are not looked for.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../../tools/project.ts';

const SCANNED = ['src', 'scripts', 'tools', 'bench', 'packages', 'test'];
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'generated', 'target']);
const OUTPUTS = new Set(['build', 'dist', 'node_modules']);

/** Comments by the file's language: block and line comments, or `#` lines. */
const COMMENTS: Record<string, RegExp> = {
  '.ts': /\/\*[\s\S]*?\*\/|(?<![:\w'"`])\/\/.*$/gm,
  '.mjs': /\/\*[\s\S]*?\*\/|(?<![:\w'"`])\/\/.*$/gm,
  '.go': /\/\*[\s\S]*?\*\/|(?<![:\w'"`])\/\/.*$/gm,
  '.java': /\/\*[\s\S]*?\*\/|(?<![:\w'"`])\/\/.*$/gm,
  '.sh': /(?:^|\s)#.*$/gm,
  '.py': /(?:^|\s)#.*$|"""[\s\S]*?"""/gm,
  '.toml': /(?:^|\s)#.*$/gm,
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : COMMENTS[extname(entry.name)] ? [path] : [];
  });
}

const topLevel = readdirSync(root).filter(
  (name) => !name.startsWith('.') && !OUTPUTS.has(name) && statSync(join(root, name)).isDirectory(),
);
const PATH = new RegExp(`(?<![\\w./~@-])(?:${topLevel.join('|')})/[\\w./@-]*`, 'g');

/** The paths a file's comments name, each with whether it resolves. */
function namedPaths(file: string): { path: string; exists: boolean }[] {
  const packageDir = /^(packages\/[^/]+)\//.exec(relative(root, file))?.[1];
  const comments = readFileSync(file, 'utf8').match(COMMENTS[extname(file)]!) ?? [];
  return comments.flatMap((comment) =>
    [...comment.matchAll(PATH)].map(([match]) => {
      const path = match.replace(/[.,:;]+$/, '');
      const bases = [root, ...(packageDir ? [join(root, packageDir)] : [])];
      return { path, exists: bases.some((base) => existsSync(join(base, path))) };
    }),
  );
}

describe('paths named in comments', () => {
  const files = SCANNED.flatMap((dir) => filesUnder(join(root, dir)));

  it('are looked for in every file with comments, and found in many', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap(namedPaths).length).toBeGreaterThan(50);
  });

  it('all exist', () => {
    const missing = files.flatMap((file) =>
      namedPaths(file)
        .filter((named) => !named.exists)
        .map(({ path }) => `${relative(root, file)}: ${path}`),
    );
    expect(missing).toEqual([]);
  });
});
