/**
 * Derives everything in generated/ from the hand-written spec in openapi/.
 *
 *   npm run build                      writes generated/
 *   tsx scripts/build.ts --out DIR     writes the same files into DIR (the drift check uses this)
 *
 * Each output is made from the bundled spec, and info.version is set from package.json,
 * so the version is written in one place only.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Converter } from '@apiture/openapi-down-convert';
import openapiTS, { astToString } from 'openapi-typescript';
import { stringify as toYaml } from 'yaml';
import { GENERATED_HEADER as HEADER, bin, generatedDir, operationsOf, packageJson, root, toolEnv } from './lib/project.ts';
import { buildValidatorModule } from './lib/validator-module.ts';

type Json = Record<string, any>;

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ?? generatedDir;
const started = performance.now();

const bundled = withPackageVersion(redoclyBundle([]));
const dereferenced = withPackageVersion(redoclyBundle(['--dereferenced']));

mkdirSync(outDir, { recursive: true });
write('openapi.json', json(bundled));
write('openapi.yaml', toYaml(bundled, { lineWidth: 0 }));
write('openapi.deref.json', json(dereferenced));
write('openapi.3.0.json', json(toOpenApi30(bundled)));
write('schema.d.ts', HEADER + (await typesFrom(bundled)));
const validator = buildValidatorModule(dereferenced.components.schemas.DbConnsAuditingConfigUpdate);
write('validate-config-update.js', validator.js);
write('validate-config-update.d.ts', validator.dts);
const codes = documentedErrorCodes(dereferenced);
write('error-codes.js', `${HEADER}export const errorCodes = ${JSON.stringify(codes, null, 2)};\n`);
write('error-codes.d.ts', `${HEADER}export declare const errorCodes: ${readonlyType(codes)};\n`);

console.log(`built ${outDir} in ${Math.round(performance.now() - started)} ms`);

/**
 * The error codes each operation documents, by operationId: every `error_code` enum of its
 * error responses. 401 and 403 document none (their `error_code` is any string).
 */
function documentedErrorCodes(doc: Json): Record<string, string[]> {
  const codes: Record<string, string[]> = {};
  for (const { operation } of operationsOf(doc)) {
    const found = new Set<string>();
    for (const [status, response] of Object.entries(operation.responses as Json)) {
      if (status.startsWith('2')) continue;
      for (const code of errorCodeEnum(response.content?.['application/json']?.schema)) found.add(code);
    }
    codes[operation.operationId] = [...found];
  }
  return codes;
}

/** The `error_code` enum of an error body schema, looking through `allOf`. */
function errorCodeEnum(schema: Json | undefined): string[] {
  if (!schema) return [];
  return [...(schema.properties?.error_code?.enum ?? []), ...(schema.allOf ?? []).flatMap(errorCodeEnum)];
}

/** The TypeScript type of a JSON value whose arrays are read-only tuples of string literals. */
function readonlyType(value: Record<string, string[]>): string {
  const entries = Object.entries(value).map(([key, list]) => `  readonly ${key}: readonly [${list.map((item) => JSON.stringify(item)).join(', ')}];`);
  return `{\n${entries.join('\n')}\n}`;
}

/** Bundles openapi/ with Redocly CLI: components kept, or every $ref resolved. */
function redoclyBundle(flags: string[]): Json {
  const tmp = mkdtempSync(join(tmpdir(), 'bundle-'));
  try {
    const file = join(tmp, 'openapi.json');
    execFileSync(process.execPath, [bin.redocly, 'bundle', 'main', ...flags, '-o', file], {
      cwd: root,
      env: toolEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return JSON.parse(readFileSync(file, 'utf8'));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function withPackageVersion(doc: Json): Json {
  return { ...doc, info: { ...doc.info, version: packageJson.version } };
}

/**
 * OpenAPI 3.0.3 for generators that are still 3.0-only. The down-converter handles the
 * JSON Schema differences (const, examples); what it leaves is done here: info.summary and the
 * licence's SPDX identifier do not exist in 3.0, and 3.0 allows scopes only for OAuth2 and
 * OpenID Connect, so the permission an operation needs stays in its description (where the 3.1
 * spec already states it) and leaves its security requirement.
 */
function toOpenApi30(doc: Json): Json {
  const converted = new Converter(structuredClone(doc), { allOfTransform: false }).convert() as Json;
  converted.openapi = '3.0.3';
  delete converted.info.summary;
  // 3.0 has no SPDX `identifier`; the SPDX page of the licence says the same thing.
  const licenseId = doc.info.license?.identifier;
  if (licenseId) converted.info.license = { name: doc.info.license.name, url: `https://spdx.org/licenses/${licenseId}.html` };
  const schemes = converted.components.securitySchemes as Json;
  const scoped = (name: string) => ['oauth2', 'openIdConnect'].includes(schemes[name]?.type);
  for (const { operation } of operationsOf(converted)) {
    if (!operation.security) continue;
    operation.security = operation.security.map((requirement: Json) =>
      Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, scoped(name) ? scopes : []])),
    );
  }
  return converted;
}

async function typesFrom(doc: Json): Promise<string> {
  // A default is what the server applies, not a promise that the field is present:
  // clusters older than 8.2 do not return audit_queue_max_bytes at all.
  const ast = await openapiTS(doc as any, { defaultNonNullable: false });
  return astToString(ast);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function write(name: string, content: string): void {
  writeFileSync(join(outDir, name), content);
}
