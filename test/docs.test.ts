/**
 * The rendered API docs, in a real headless Chromium: `npm run docs` writes one HTML page, and
 * that page, opened from file:// with no server and no internet, comes alive, shows every
 * operation, permission, schema, example and error code, and requests nothing but itself.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../generated/operations.js';
import { chromiumLaunchOptions, chromiumPath } from '../scripts/lib/chromium.ts';
import { SAMPLE_SOURCES } from '../scripts/lib/code-samples.ts';
import { bin, docsPage, root } from '../scripts/lib/project.ts';
import { node, type Ran } from './support/run.ts';
import { bundled } from './support/spec.ts';

const pageUrl = pathToFileURL(docsPage).href;

const OPERATIONS = [
  { operationId: 'getDbConnsAuditingConfig', summary: 'Get database connection auditing settings', permission: 'view_cluster_info' },
  { operationId: 'updateDbConnsAuditingConfig', summary: 'Update database connection auditing settings', permission: 'update_cluster' },
  { operationId: 'deleteDbConnsAuditingConfig', summary: 'Delete database connection auditing settings', permission: 'update_cluster' },
] as const;

const ERROR_CODES = [
  'db_conns_auditing_unsupported_by_capability',
  'invalid_schema',
  'db_conns_auditing_bad_config',
  'db_conns_auditing_missing_config',
  'db_conns_auditing_bad_address',
  'db_conns_audit_config_not_found',
  'cannot_delete_audit_config_when_policy_enabled',
  'cannot_delete_audit_config_when_bdb_enabled',
];

// A busy machine (the other suites run beside this one) slows the browser: generous bounds.
describe('the API docs page (npm run docs) in headless Chromium', { timeout: 60_000 }, () => {
  let built: Ran;
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    built = node([bin.tsx, 'scripts/docs.ts']);
    if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    browser = await chromium.launch(chromiumLaunchOptions);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The context sees the requests of every page and worker it holds.
    context.on('request', (request) => requests.push(request.url()));
    page = await context.newPage();
    page.setDefaultTimeout(25_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** The section of one operation: Redoc gives it the id of its deep link, `#/<tag>/<operationId>`. */
  const section = (operationId: string): Locator => page.locator(`[id="auditing/${operationId.toLowerCase()}"]`);

  /** Opens an operation from the sidebar; the docs render only the sections near the viewport. */
  async function showOperation(summary: string, operationId: string): Promise<Locator> {
    // The sidebar entry's name ends with the method badge ("... settings GET").
    const entry = page.getByRole('link', { name: new RegExp(`^${summary}`) });
    // The sidebar lists a tag's operations only while the page shows that tag.
    if (!page.url().startsWith(`${pageUrl}#/auditing`)) {
      await page.getByRole('link', { name: 'Auditing', exact: true }).click();
      await page.waitForURL(`${pageUrl}#/auditing`);
    }
    await entry.click();
    const operation = section(operationId);
    // The heading's name also holds its anchor link ("link to ...").
    await operation.getByRole('heading', { level: 2, name: new RegExp(`${summary}$`) }).waitFor();
    return operation;
  }

  const responseTabs = (operation: Locator) => operation.getByRole('tablist', { name: 'Response status' }).getByRole('tab');

  it('builds one self-contained HTML page', () => {
    expect(built.output).toContain(`wrote build/docs/index.html`);
    expect(built.output).toContain(`open ${pageUrl}`);
    expect(built.status).toBe(0);
    const html = readFileSync(docsPage, 'utf8');
    // No script, style sheet, image or frame from elsewhere: everything is inline.
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toContain('cdn.redoc.ly');
    expect(statSync(docsPage).size).toBeGreaterThan(100_000);
  });

  it('comes alive from file://: the sidebar routes on the client, without reloading the page', async () => {
    await page.goto(pageUrl);
    // The prerendered page shows the introduction only; the tag's operations are not listed yet.
    await expect(page.getByRole('link', { name: /^Update database connection auditing settings/ }).count()).resolves.toBe(0);

    // Redoc renders the sidebar's logo in an effect, so it exists only once the scripts have
    // hydrated the page; it is the inline copy scripts/docs.ts puts there, not the CDN's.
    const logo = page.locator('img[alt="redocly logo"]');
    await logo.waitFor();
    expect(await logo.getAttribute('src')).toMatch(/^data:image\/svg\+xml,/);

    // A plain link would load file:///auditing; the client-side router changes the hash instead.
    await page.getByRole('link', { name: 'Auditing', exact: true }).click();
    await page.waitForURL(`${pageUrl}#/auditing`);
    for (const { summary } of OPERATIONS) {
      await expect(page.getByRole('link', { name: new RegExp(`^${summary}`) }).isVisible()).resolves.toBe(true);
    }
  });

  it("shows the spec's title and its introduction, with the auth and TLS facts", async () => {
    await page.getByRole('link', { name: bundled.info.title, exact: true }).click();
    await page.waitForURL(`${pageUrl}#/`);
    const main = page.locator('#redoc');
    await expect(main.getByRole('heading', { level: 1 }).first().innerText()).resolves.toContain(bundled.info.title);
    const text = await main.innerText();
    expect(text).toContain('Transport and authentication');
    expect(text).toContain('port 9443');
    expect(text).toContain("trust the cluster's CA");
    expect(text).toContain('HTTP Basic authentication');
  });

  for (const { summary, operationId, permission } of OPERATIONS) {
    it(`shows "${summary}" with its permission, at its own deep link`, async () => {
      const operation = await showOperation(summary, operationId);
      await page.waitForURL(`${pageUrl}#/auditing/${operationId.toLowerCase()}`);
      const text = await operation.innerText();
      expect(text).toMatch(new RegExp(`Required permission:\\s*${permission}`));
      expect(text).toContain('/v1/cluster/auditing/db_conns');
    });
  }

  it('shows the PUT body schema and its example', async () => {
    const operation = await showOperation(OPERATIONS[1].summary, OPERATIONS[1].operationId);
    const text = await operation.innerText();
    for (const field of ['audit_protocol', 'audit_address', 'audit_port', 'audit_reconnect_interval', 'audit_reconnect_max_attempts']) {
      expect(text).toContain(field);
    }
    expect(text).toContain("A TCP listener (the reference page's example)");
    expect(text).toMatch(/"audit_port":\s*12345/);
  });

  it('expands a response when its status is clicked', async () => {
    const operation = await showOperation(OPERATIONS[1].summary, OPERATIONS[1].operationId);
    const tab = responseTabs(operation).filter({ hasText: /^400$/ });
    const invalidConfig = ['invalid_schema', 'db_conns_auditing_bad_config', 'db_conns_auditing_missing_config', 'db_conns_auditing_bad_address'];
    expect(await tab.getAttribute('aria-selected')).toBe('false');
    expect(await operation.innerText()).not.toContain('The configuration sent is invalid.');

    await tab.click();
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const text = await operation.innerText();
    expect(text).toContain('The configuration sent is invalid.');
    for (const code of invalidConfig) expect(text).toContain(code);
  });

  it('documents every error code, each under the operation that returns it', async () => {
    expect(new Set(Object.values(operations).flatMap((operation) => operation.errorCodes))).toEqual(new Set(ERROR_CODES));
    for (const { summary, operationId } of OPERATIONS) {
      const operation = await showOperation(summary, operationId);
      let shown = '';
      for (const tab of await responseTabs(operation).all()) {
        await tab.click();
        await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
        shown += await operation.innerText();
      }
      for (const code of operations[operationId].errorCodes) expect(shown, `${operationId} shows ${code}`).toContain(code);
    }
    // Ends on DELETE's refusal: the screenshot shows an operation with an expanded response.
    await page.screenshot({ path: `${root}build/docs/screenshot.png` });
  });

  it("shows each language's code sample on every operation, as the spec carries it", async () => {
    const methods = { getDbConnsAuditingConfig: 'get', updateDbConnsAuditingConfig: 'put', deleteDbConnsAuditingConfig: 'delete' } as const;
    const languages = SAMPLE_SOURCES.map(({ label }) => label);
    for (const { summary, operationId } of OPERATIONS) {
      const { 'x-codeSamples': samples } = bundled.paths['/v1/cluster/auditing/db_conns'][methods[operationId]] as {
        'x-codeSamples': { label: string; source: string }[];
      };
      expect(samples.map(({ label }) => label), operationId).toEqual(languages);
      const operation = await showOperation(summary, operationId);
      // The samples panel picks a language from a menu; its button is named after the language shown.
      const picker = operation.getByRole('button', { name: new RegExp(`^(${[...languages, 'Payload'].join('|')})$`) }).first();
      for (const { label, source } of samples) {
        await picker.click();
        const offered = await page.getByRole('menuitem').allInnerTexts();
        expect(offered.slice(0, languages.length), operationId).toEqual(languages);
        await page.getByRole('menuitem', { name: label, exact: true }).click();
        // The sample's first line of code (not a comment), as the page shows it.
        const firstLine = source.split('\n').map((line) => line.trim()).find((line) => line && !/^(#|\/\/)/.test(line))!;
        const shown = async () => (await operation.locator('pre').allInnerTexts()).join('\n');
        await expect.poll(shown, { message: `${operationId}: ${label}` }).toContain(firstLine);
      }
    }
  });

  it('logs no console error and requests nothing but the page itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toContain(pageUrl);
    const elsewhere = requests.filter((url) => url !== pageUrl && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(elsewhere).toEqual([]);
  });
});
