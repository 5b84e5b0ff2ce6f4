/**
 * Renders the contract's bundled spec as API reference docs: one self-contained HTML page. The
 * mock's build writes it to dist/docs.html (the mock serves it at /docs); the repository's
 * `npm run docs` writes it to build/docs/index.html.
 *
 *   tsx scripts/docs.ts --out FILE
 *
 * Redocly CLI's build-docs prerenders the page, and `--inlineBundle` embeds Redoc's script
 * (whose fonts and icons are already data: URLs) instead of loading it from a CDN. So the page
 * requests nothing but itself: it works from file://, on an air-gapped network, and is
 * published by copying the one file to any static host. The spec is read through this
 * package's dependency on the contract, so the build needs nothing of the repository around it.
 * Progress goes to stderr: `npm pack --json` prints only JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);

/** The page's Redoc options (the languages of the code samples): redocly.yaml beside this package's manifest. */
const CONFIG = fileURLToPath(new URL('../redocly.yaml', import.meta.url));

/**
 * Redoc's sidebar footer ("API docs by Redocly") loads the Redocly logo from a CDN and has no
 * option to turn it off; the page names Redocly in an inline SVG instead.
 */
const CDN_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g;
const INLINE_LOGO =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='18'%3E" +
  "%3Ctext x='0' y='14' font-family='sans-serif' font-size='14' font-weight='600' fill='%230044D4'%3ERedocly%3C/text%3E%3C/svg%3E";

/** Writes the docs page to `page`; returns its size in bytes. */
export function writeDocsPage(page: string): number {
  mkdirSync(dirname(page), { recursive: true });
  const spec = require.resolve('redis-software-auditing-db-conns/openapi.yaml');
  const redocly = require.resolve('@redocly/cli/lib/index.js');
  const built = spawnSync(process.execPath, [redocly, 'build-docs', spec, '--config', CONFIG, '--inlineBundle', '--output', page], {
    // No telemetry and no update notice; build-docs writes the telemetry setting into the page's options too.
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`redocly build-docs failed (${built.status ?? built.signal}):\n${built.stderr}`);
  const html = readFileSync(page, 'utf8');
  const offline = html.replace(CDN_LOGO, INLINE_LOGO);
  if (offline === html)
    throw new Error(`Redoc no longer loads its logo from cdn.redoc.ly: review CDN_LOGO in ${fileURLToPath(import.meta.url)}`);
  writeFileSync(page, offline);
  return Buffer.byteLength(offline);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('usage: tsx scripts/docs.ts --out FILE');
  const page = resolve(values.out);
  const started = performance.now();
  const kib = Math.round(writeDocsPage(page) / 1024);
  console.error(
    `wrote ${relative(process.cwd(), page)} (${kib} KiB) in ${Math.round(performance.now() - started)} ms; open ${pathToFileURL(page)}`,
  );
}
