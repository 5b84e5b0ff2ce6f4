/**
 * A throwaway copy of the package's sources, sharing node_modules through a link, where the
 * bench runs `npm run build` and `npm pack`: the build rewrites generated/ and dist/, which
 * other work in the repository (a running test suite, an editor) may be reading.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { root } from '../project.ts';

/** What a fresh checkout would not have, or what the copy shares instead. */
const LEFT_OUT = new Set(['node_modules', '.git', 'build', 'dist']);

export function makeScratchCopy(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-package-'));
  cpSync(root, dir, {
    recursive: true,
    filter: (source) => {
      const top = relative(root, source).split(/[\\/]/)[0]!;
      return !LEFT_OUT.has(top) && !top.endsWith('.tgz');
    },
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
