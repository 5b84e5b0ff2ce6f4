/**
 * Renders the bundled spec as API reference docs: one self-contained HTML page.
 *
 *   npm run docs                        writes build/docs/index.html
 *   tsx scripts/docs.ts --out FILE      writes the page to FILE (the mock package serves it at /docs)
 *
 * Redocly CLI's build-docs prerenders the page, and `--inlineBundle` embeds Redoc's script
 * (whose fonts and icons are already data: URLs) instead of loading it from a CDN. So the page
 * requests nothing but itself: it works from file://, on an air-gapped network, and is
 * published by copying the one file to any static host.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { execaSync } from 'execa';
import { bin, docsPage, root, toolEnv } from '../tools/project.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const page = values.out ? resolve(values.out) : docsPage;

/**
 * Redoc's sidebar footer ("API docs by Redocly") loads the Redocly logo from a CDN and has no
 * option to turn it off; the page names Redocly in an inline SVG instead.
 */
const CDN_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g;
const INLINE_LOGO =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='64' height='18'%3E" +
  "%3Ctext x='0' y='14' font-family='sans-serif' font-size='14' font-weight='600' fill='%230044D4'%3ERedocly%3C/text%3E%3C/svg%3E";

const started = performance.now();
mkdirSync(dirname(page), { recursive: true });
execaSync(process.execPath, [bin.redocly, 'build-docs', 'generated/openapi.yaml', '--inlineBundle', '--output', page], {
  cwd: root,
  // toolEnv turns telemetry off, and build-docs writes that into the page's options too.
  env: toolEnv,
  stdout: 'ignore',
});

const html = readFileSync(page, 'utf8');
const offline = html.replace(CDN_LOGO, INLINE_LOGO);
if (offline === html) throw new Error('Redoc no longer loads its logo from cdn.redoc.ly: review CDN_LOGO in scripts/docs.ts');
writeFileSync(page, offline);

const kib = Math.round(Buffer.byteLength(offline) / 1024);
console.log(
  `wrote ${relative(process.cwd(), page)} (${kib} KiB) in ${Math.round(performance.now() - started)} ms; open ${pathToFileURL(page)}`,
);
