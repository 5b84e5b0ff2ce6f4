/**
 * What users download: the client bundled and minified as an app's bundler would ship it,
 * gzipped at level 9; the packed tarball; the docs page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { docsPage, root, toolEnv } from '../project.ts';

export interface BundleSize {
  minifiedBytes: number;
  gzipBytes: number;
  /** Minified bytes each input file contributes, before gzip. */
  inputs: Record<string, number>;
}

const SHIPPED_AS_AN_APP_WOULD: BuildOptions = { bundle: true, format: 'esm', platform: 'neutral', minify: true, write: false, metafile: true, logLevel: 'silent' };

/** The client's runtime: src/index.ts and everything it imports, openapi-fetch included. */
export const bundleClient = () => bundle({ entryPoints: [`${root}src/index.ts`] });

/** openapi-fetch as a bare user imports it (`import createClient from 'openapi-fetch'`). */
export const bundleOpenapiFetch = () => bundle({ stdin: { contents: "export { default } from 'openapi-fetch';", resolveDir: root, loader: 'js' } });

async function bundle(entry: BuildOptions): Promise<BundleSize> {
  const result = await build({ ...SHIPPED_AS_AN_APP_WOULD, ...entry });
  const code = result.outputFiles![0]!.contents;
  const output = Object.values(result.metafile!.outputs)[0]!;
  const inputs = Object.fromEntries(Object.entries(output.inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput]));
  return { minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, inputs };
}

export interface PackSize {
  tarballBytes: number;
  unpackedBytes: number;
  files: number;
}

/** `npm pack --json --dry-run` in `dir`: what a publish of that directory would upload. */
export function packSize(dir: string): PackSize {
  const printed = execFileSync('npm', ['pack', '--json', '--dry-run'], { cwd: dir, env: toolEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [info] = JSON.parse(printed) as { size: number; unpackedSize: number; entryCount: number }[];
  return { tarballBytes: info!.size, unpackedBytes: info!.unpackedSize, files: info!.entryCount };
}

/** build/docs/index.html, when `npm run docs` has written it. */
export function docsPageSize(): { bytes: number; gzipBytes: number } | undefined {
  const file = docsPage;
  if (!existsSync(file)) return undefined;
  const html = readFileSync(file);
  return { bytes: html.length, gzipBytes: gzipSync(html, { level: 9 }).length };
}
