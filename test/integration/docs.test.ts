/**
 * The rendered API docs, in a real headless Chromium: `npm run docs` writes one HTML page, and
 * that page, opened from file:// with no server and no internet, comes alive, shows every
 * operation, permission, schema, example and error code, and requests nothing but itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../generated/operations.js';
import { chromiumLaunchOptions, chromiumPath } from '../support/chromium.ts';
import { codeSamples } from '../../tools/code-samples.ts';
import { bin, docsPage, root } from '../../tools/project.ts';
import { node, type Ran } from '../support/run.ts';
import {
  ERROR_CODES,
  OPERATIONS,
  PAGE_REQUEST_EXAMPLE,
  PATH,
  bundled,
  dereferenced,
  operationFacts,
  requestExamples,
} from '../support/facts.ts';

const pageUrl = pathToFileURL(docsPage).href;

/** The tag the operations are listed under; Redoc gives it the deep link `#/<tag>`. */
const TAG = bundled.tags[0].name as string;
const tagLink = TAG.toLowerCase();
const PUT = operationFacts('put');

/** Markdown as a reader sees it rendered: each heading, paragraph and list item, as plain text. */
const renderedBlocks = (markdown: string): string[] =>
  markdown
    .split(/\n(?=\n|- |#)/)
    .map((block) =>
      block
        .replace(/^#+ |^- /, '')
        .replace(/\*\*|`/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean);

// A busy machine (the other suites run beside this one) slows the browser: generous bounds.
describe('the API docs page (npm run docs) in headless Chromium', { timeout: 60_000 }, () => {
  let built: Ran;
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    built = node([bin.tsx, 'packages/mock/scripts/docs.ts', '--out', 'build/docs/index.html']);
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
  const section = (operationId: string): Locator => page.locator(`[id="${tagLink}/${operationId.toLowerCase()}"]`);

  /** Opens an operation from the sidebar; the docs render only the sections near the viewport. */
  async function showOperation(summary: string, operationId: string): Promise<Locator> {
    // The sidebar entry's name ends with the method badge ("... settings GET").
    const entry = page.getByRole('link', { name: new RegExp(`^${summary}`) });
    // The sidebar lists a tag's operations only while the page shows that tag.
    if (!page.url().startsWith(`${pageUrl}#/${tagLink}`)) {
      await page.getByRole('link', { name: TAG, exact: true }).click();
      await page.waitForURL(`${pageUrl}#/${tagLink}`);
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
    // Redoc's own script is inline too: no script element of the page has a source.
    expect(html).toMatch(/<script\b/);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=/i);
  });

  it('comes alive from file://: the sidebar routes on the client, without reloading the page', async () => {
    await page.goto(pageUrl);
    // The prerendered page shows the introduction only; the tag's operations are not listed yet.
    await expect(page.getByRole('link', { name: new RegExp(`^${PUT.summary}`) }).count()).resolves.toBe(0);

    // A plain link would load file:///auditing; the client-side router changes the hash instead.
    await page.getByRole('link', { name: TAG, exact: true }).click();
    await page.waitForURL(`${pageUrl}#/${tagLink}`);
    for (const { summary } of OPERATIONS) {
      await expect(page.getByRole('link', { name: new RegExp(`^${summary}`) }).isVisible()).resolves.toBe(true);
    }
  });

  it("shows the spec's title and its introduction, with the auth and TLS facts", async () => {
    await page.getByRole('link', { name: bundled.info.title, exact: true }).click();
    await page.waitForURL(`${pageUrl}#/`);
    const main = page.locator('#redoc');
    await expect(main.getByRole('heading', { level: 1 }).first().innerText()).resolves.toContain(bundled.info.title);
    const text = (await main.innerText()).replace(/\s+/g, ' ');
    const introduction = renderedBlocks(bundled.info.description);
    expect(introduction.length).toBeGreaterThan(1);
    for (const block of introduction) expect(text).toContain(block);
  });

  for (const { summary, operationId, permission } of OPERATIONS) {
    it(`shows "${summary}" with its permission, at its own deep link`, async () => {
      const operation = await showOperation(summary, operationId);
      await page.waitForURL(`${pageUrl}#/${tagLink}/${operationId.toLowerCase()}`);
      const text = await operation.innerText();
      expect(text).toMatch(new RegExp(`Required permission:\\s*${permission}`));
      expect(text).toContain(PATH);
    });
  }

  it('shows the PUT body schema and its example', async () => {
    const operation = await showOperation(PUT.summary, PUT.operationId);
    const text = await operation.innerText();
    for (const field of Object.keys(dereferenced.components.schemas.DbConnsAuditingConfigUpdate.properties)) expect(text).toContain(field);
    expect(text).toContain(requestExamples()[0]!.summary);
    expect(text).toMatch(new RegExp(`"audit_port":\\s*${PAGE_REQUEST_EXAMPLE.audit_port}`));
  });

  it('expands a response when its status is clicked', async () => {
    const operation = await showOperation(PUT.summary, PUT.operationId);
    // PUT's first error response that documents codes, and the first sentence of its description.
    const invalid = PUT.errors.find((error) => error.codes.length > 0)!;
    const description = invalid.description.split('.')[0]!.replace(/\s+/g, ' ');
    const tab = responseTabs(operation).filter({ hasText: new RegExp(`^${invalid.status}$`) });
    expect(await tab.getAttribute('aria-selected')).toBe('false');
    expect(await operation.innerText()).not.toContain(description);

    await tab.click();
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    const text = await operation.innerText();
    expect(text).toContain(description);
    for (const code of invalid.codes) expect(text).toContain(code);
  });

  it('documents every error code, each under the operation that returns it', async () => {
    expect(new Set(Object.values(operations).flatMap((operation) => operation.errorCodes))).toEqual(new Set(ERROR_CODES));
    for (const { summary, operationId, errors } of OPERATIONS) {
      const operation = await showOperation(summary, operationId);
      let shown = '';
      for (const tab of await responseTabs(operation).all()) {
        await tab.click();
        await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
        shown += await operation.innerText();
      }
      for (const code of errors.flatMap((error) => error.codes)) expect(shown, `${operationId} shows ${code}`).toContain(code);
    }
    // Ends on DELETE's refusal: the screenshot shows an operation with an expanded response.
    await page.screenshot({ path: `${root}build/docs/screenshot.png` });
  });

  it("shows each language's code sample on every operation, as the spec carries it", async () => {
    const languages = [...new Set(codeSamples().map(({ label }) => label))];
    for (const { summary, operationId, method } of OPERATIONS) {
      const { 'x-codeSamples': entries } = bundled.paths[PATH][method] as {
        'x-codeSamples': { lang: string; label?: string; source: string }[];
      };
      // Redoc's tab shows the label, or else the language.
      const samples = entries.map(({ lang, label = lang, source }) => ({ label, source }));
      expect(
        samples.map(({ label }) => label),
        operationId,
      ).toEqual(languages);
      const operation = await showOperation(summary, operationId);
      // The samples panel picks a language from a menu; its button is named after the language shown.
      const picker = operation.getByRole('button', { name: new RegExp(`^(${[...languages, 'Payload'].join('|')})$`) }).first();
      for (const { label, source } of samples) {
        await picker.click();
        const offered = await page.getByRole('menuitem').allInnerTexts();
        expect(offered.slice(0, languages.length), operationId).toEqual(languages);
        await page.getByRole('menuitem', { name: label, exact: true }).click();
        // The sample's first line of code (not a comment), as the page shows it.
        const firstLine = source
          .split('\n')
          .map((line) => line.trim())
          .find((line) => line && !/^(#|\/\/)/.test(line))!;
        const shown = async () => (await operation.locator('pre').allInnerTexts()).join('\n');
        await expect.poll(shown, { message: `${operationId}: ${label}` }).toContain(firstLine);
      }
    }
  });

  it('shows each audit record type in the "Audit records" section, every field of it, from the shared schemas', async () => {
    const { description } = bundled.tags.find((tag: { name: string }) => tag.name === 'Audit records');
    const shown = [
      ...(description as string).matchAll(/^## (.+)\n\n\{% schemaDefinition schemaRef="#\/components\/schemas\/(\w+)" \/%\}$/gm),
    ];
    expect(shown.map(([, , schema]) => schema)).toEqual([
      'NewConnRecord',
      'NewIntConnRecord',
      'AuthRecord',
      'CommandRecord',
      'CloseConnRecord',
    ]);
    const schemas = dereferenced.components.schemas;
    for (const [, heading, schema] of shown) {
      await page.getByRole('link', { name: 'Audit records', exact: true }).click();
      await page.getByRole('link', { name: heading, exact: true }).click();
      const anchor = heading!.toLowerCase().replace(/ /g, '-');
      await page.waitForURL(`${pageUrl}#/audit-records/${anchor}`);
      const main = page.locator('#redoc');
      // The section shows the record's description, then each of its fields with its type.
      const firstSentence = schemas[schema!].description.split(':')[0].replace(/\s+/g, ' ');
      await expect.poll(async () => (await main.innerText()).replace(/\s+/g, ' '), { message: schema }).toContain(firstSentence);
      const text = (await main.innerText()).replace(/\s+/g, ' ');
      const section = text.slice(text.lastIndexOf(firstSentence));
      for (const [field, property] of Object.entries(schemas[schema!].properties as Record<string, { type: string | string[] }>)) {
        const type = [property.type].flat()[0];
        // The page writes an array as "Array of strings".
        expect(section, `${schema}.${field}`).toMatch(new RegExp(`(^| )${field.replace('-', '\\-')} ${type}`, 'i'));
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
