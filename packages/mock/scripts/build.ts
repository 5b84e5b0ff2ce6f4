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
const ENTRY_POINTS = ['src/index.ts', 'src/cli.ts', 'src/msw.ts'];

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
 * Faker, which serves json-schema-faker's `x-faker` keyword, is a file of its own beside the
 * bundle, required on first use: json-schema-faker takes it when Prism loads, and the contract
 * has no `x-faker`, so most mocks never read it. Its `en` build alone (25 MB installed with every
 * locale) gives the same answers: `en` is the locale the full build uses.
 */
const FAKER = { entry: '@faker-js/faker/locale/en', file: 'faker-en.cjs' };

/**
 * A stand-in that requires `real` on first use: Prism's modules require these when they load, but
 * call them only on paths that most mocks never take.
 */
const lazy = (real: string) => `(() => {
  let module;
  const load = () => (module ??= require('${real}'));
  return new Proxy(function () {}, {
    apply: (_, self, args) => Reflect.apply(load(), self, args),
    get: (_, key) => (typeof load()[key] === 'function' ? load()[key].bind(load()) : load()[key]),
    has: (_, key) => key in load(),
  });
})()`;

/** Modules of Prism's dependencies, replaced so that their weight stays out of the bundle, or out of each start. */
const REPLACED: Record<string, string> = {
  // json-schema-faker reads Faker's `default` when Prism loads, and its members when it generates.
  '@faker-js/faker': `exports.__esModule = true;\nexports.default = ${lazy(`./${FAKER.file}`)};`,
  // Prism's forwarder (verify's) and its callbacks fetch with node-fetch: 10 ms of each start, with Node's https and zlib.
  'node-fetch': `module.exports = ${lazy('node-fetch/lib/index.js')};`,
  // A second lodash, wrapped: Prism's security check uses its `set` when a request fails it.
  'lodash/fp': `module.exports = ${lazy('lodash/fp.js')};`,
  // node-fetch takes its URL from whatwg-url only where Node's url module has none, as no Node since 10.
  'whatwg-url': `exports.URL = require('node:url').URL;`,
  // Prism's reader of Postman collections (with postman-collection, 23 MB installed): Prism turns
  // to it only for a document that is a Postman collection, and the mock reads OpenAPI documents.
  '@stoplight/http-spec/postman/operation': `exports.transformPostmanCollectionOperations = () => {
  throw new Error('Postman collections are not read by this mock: it serves OpenAPI documents');
};`,
};
const replace: esbuild.Plugin = {
  name: 'replace',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(REPLACED).join('|')})$`);
    build.onResolve({ filter }, ({ path, resolveDir }) => ({ path, namespace: 'replaced', pluginData: resolveDir }));
    build.onResolve({ filter: new RegExp(`^\\./${FAKER.file}$`) }, ({ path }) => ({ path, external: true }));
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

/** The settings both bundles share: Node's, minified. */
const NODE = { bundle: true, platform: 'node', target: 'node20.19', minify: true, metafile: true, logLevel: 'warning' } as const;

/** The bundle: ES modules, one file per entry point and chunks of shared code beside them, with Faker's file. */
async function bundle(outdir: string): Promise<esbuild.Metafile[]> {
  const external = [...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})].flatMap((name) => [
    name,
    `${name}/*`,
  ]);
  const code = esbuild.build({
    ...NODE,
    absWorkingDir: packageDir,
    entryPoints: ENTRY_POINTS,
    outdir,
    // Chunks sit beside the entry points: code that finds files by `new URL('../…', import.meta.url)` finds them from any of them.
    chunkNames: '[name]-[hash]',
    splitting: true,
    format: 'esm',
    external,
    plugins: [replace],
    // jsonc-parser's main is a UMD wrapper that hands `require` to a factory, which esbuild cannot
    // follow; its ES module build is the same code.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    // Bundled CommonJS code requires Node's own modules (and Faker's file); in an ES module, `require` has to be made.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const faker = esbuild.build({
    ...NODE,
    absWorkingDir: packageDir,
    // Its CommonJS build, as `require` resolves it: the one the bundle requires.
    entryPoints: [require.resolve(FAKER.entry)],
    outfile: join(outdir, FAKER.file),
    format: 'cjs',
  });
  return (await Promise.all([code, faker])).map((result) => result.metafile);
}

/**
 * The licences of what the bundle holds. Written here rather than with a plugin: the esbuild
 * licence plugins record every file esbuild loads (by an onLoad hook on every file), not what the
 * metafile says the bundle holds, so they would list the modules replaced above.
 */
function writeNotices(metafiles: esbuild.Metafile[], outdir: string): number {
  const packageDirs = new Set<string>();
  for (const output of metafiles.flatMap((metafile) => Object.values(metafile.outputs)))
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
const declarations = run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', staging]);
try {
  const metafiles = await bundle(staging);
  progress(`bundled ${ENTRY_POINTS.join(', ')}; ${writeNotices(metafiles, staging)} packages in THIRD-PARTY-NOTICES.md`);
  writeDocsPage(join(staging, 'docs.html'));
  await declarations;
  replaceFiles(staging, dist);
} finally {
  // tsc writes into the staging folder until it exits, whatever else failed.
  await declarations.catch(() => {});
  rmSync(staging, { recursive: true, force: true });
}
progress(`wrote dist/ in ${Math.round(performance.now() - started)} ms`);
