/**
 * Builds the mock package into dist/, from this folder alone:
 *
 * - the code: one esbuild bundle of src/, with Prism's packages and their dependencies inlined,
 *   so that installing the mock brings none of them (Prism's CLI installs 90 MB). Only this
 *   package's dependencies and peer dependencies stay imports;
 * - the type declarations, by tsc;
 * - THIRD-PARTY-NOTICES.md: the name, version, licence and licence text of every package whose
 *   code the bundle holds, read from esbuild's metafile;
 * - docs.html, the API docs page the mock serves at /docs (scripts/docs.ts).
 *
 * Progress goes to stderr: `npm pack --json`, which runs this as `prepack`, prints only JSON.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { writeDocsPage } from './docs.ts';

/** The package's entry points: its exports, its bin, and any further subpath export, one line each. */
const ENTRY_POINTS = ['src/index.ts', 'src/cli.ts'];

const require = createRequire(import.meta.url);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageDir, 'dist');
/**
 * Where the build writes before it moves each file into dist/: a test run may pack (and so build)
 * the package while other suites load dist/, and a renamed file is whole, old or new.
 */
const staging = join(packageDir, `.dist-${process.pid}`);
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const progress = (message: string) => console.error(`build: ${message}`);

/**
 * Two modules of Prism's, replaced so that their weight stays out:
 * - Faker, with every locale (25 MB installed), serves `Prefer: dynamic=true` through
 *   json-schema-faker; its `en` build alone gives the same answers, since `en` is the locale the
 *   full build uses;
 * - Prism's reader of Postman collections (with postman-collection, 23 MB installed): Prism
 *   reads the mock's documents, all OpenAPI, by `getHttpOperationsFromSpec`, which turns to it
 *   only for a document that is a Postman collection.
 */
const REPLACED: Record<string, string> = {
  // Required on first use (Prism reads `default` only when it generates): loading Faker's data costs 40 ms.
  '@faker-js/faker': `Object.defineProperty(exports, '__esModule', { value: true });
Object.defineProperty(exports, 'default', { enumerable: true, get: () => require('@faker-js/faker/locale/en') });`,
  '@stoplight/http-spec/postman/operation': `exports.transformPostmanCollectionOperations = () => {
  throw new Error('Postman collections are not read by this mock: it serves OpenAPI documents');
};`,
};
const replace: esbuild.Plugin = {
  name: 'replace',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(REPLACED).join('|')})$`);
    build.onResolve({ filter }, ({ path, resolveDir }) => ({ path, namespace: 'replaced', pluginData: resolveDir }));
    build.onLoad({ filter: /.*/, namespace: 'replaced' }, ({ path, pluginData }) => ({
      contents: REPLACED[path],
      loader: 'js',
      resolveDir: pluginData,
    }));
  },
};

/** Runs a command and resolves when it succeeds. */
async function run(command: string, args: string[]): Promise<void> {
  const child = spawn(command, args, { cwd: packageDir, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
}

/** The bundle: ES modules, one file per entry point and chunks of shared code beside them, in dist/. */
async function bundle(outdir: string): Promise<esbuild.Metafile> {
  const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})].flatMap((name) => [
    name,
    `${name}/*`,
  ]);
  const { metafile } = await esbuild.build({
    absWorkingDir: packageDir,
    entryPoints: ENTRY_POINTS,
    outdir,
    // Chunks sit beside the entry points: code that finds files by `new URL('../…', import.meta.url)` finds them from any of them.
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external,
    plugins: [replace],
    // jsonc-parser's main is a UMD wrapper that hands `require` to a factory, which esbuild cannot
    // follow; its ES module build is the same code.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    minify: true,
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS code requires Node's own modules; in an ES module, `require` has to be made.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  return metafile;
}

/**
 * The licences of what the bundle holds. Written here rather than with a plugin: the esbuild
 * licence plugins record every file esbuild loads (by an onLoad hook on every file), not what the
 * metafile says the bundle holds, so they would list the modules replaced above.
 */
function writeNotices(metafile: esbuild.Metafile, outdir: string): number {
  const packageDirs = new Set<string>();
  for (const output of Object.values(metafile.outputs))
    for (const input of Object.keys(output.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) packageDirs.add(join(packageDir, match[1]!));
    }
  const notices = [...packageDirs]
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const licence =
        typeof pkg.license === 'string'
          ? pkg.license
          : (pkg.license?.type ?? pkg.licenses?.map((l: { type: string }) => l.type).join(' OR '));
      const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|-|$)/i.test(name));
      if (!licence) throw new Error(`${dir}: the bundle holds its code, but its package.json names no licence`);
      const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
      const text = file
        ? readFileSync(join(dir, file), 'utf8').trim()
        : `The package ships no licence file; its package.json gives the licence as ${licence}${author ? `, by ${author}` : ''}.`;
      return { id: `${pkg.name}@${pkg.version}`, licence, text };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  const sections = notices.map(({ id, licence, text }) => `## ${id}\n\nLicence: ${licence}\n\n\`\`\`text\n${text}\n\`\`\`\n`);
  writeFileSync(
    join(outdir, 'THIRD-PARTY-NOTICES.md'),
    `# Third-party notices\n\nThe mock's bundle (dist/*.js) holds code of these ${notices.length} packages, under these licences.\n\n${sections.join('\n')}`,
  );
  return notices.length;
}

/** Moves every file of `from` into `to`, each by one rename, then removes what `to` held from an earlier build. */
function replaceFiles(from: string, to: string) {
  mkdirSync(to, { recursive: true });
  const built = new Set(readdirSync(from));
  for (const file of built) renameSync(join(from, file), join(to, file));
  for (const file of readdirSync(to)) if (!built.has(file)) rmSync(join(to, file), { recursive: true, force: true });
}

const started = performance.now();
try {
  const declarations = run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', staging]);
  const metafile = await bundle(staging);
  progress(`bundled ${ENTRY_POINTS.join(', ')}; ${writeNotices(metafile, staging)} packages in THIRD-PARTY-NOTICES.md`);
  writeDocsPage(join(staging, 'docs.html'));
  await declarations;
  replaceFiles(staging, dist);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
progress(`wrote dist/ in ${Math.round(performance.now() - started)} ms`);
