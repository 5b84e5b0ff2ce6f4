/**
 * Derives everything in generated/ from the hand-written spec in openapi/.
 *
 *   npm run build                      writes generated/
 *   tsx scripts/build.ts --out DIR     writes the same files into DIR (the drift check uses this)
 *
 * It also writes the types of the mock's admin API from its own document
 * (packages/mock/admin.openapi.yaml into packages/mock/src/admin-api.ts; with --out, into DIR/admin-api.ts),
 * as the contract's are written from the spec.
 *
 * Each output is made from the bundled spec, and info.version is set from package.json,
 * so the version is written in one place only. The audit records' AsyncAPI document (asyncapi/)
 * is bundled beside it, checked by the AsyncAPI parser, and gives the records' JSON Schema, its
 * TypeScript types and its validator.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Converter } from '@apiture/openapi-down-convert';
import { bundle, loadConfig } from '@redocly/openapi-core';
import { compile as jsonSchemaToTypeScript } from 'json-schema-to-typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import {
  GENERATED_HEADER as HEADER,
  contractPath,
  errorCodeEnum,
  generatedDir,
  operationsOf,
  packageJson,
  root,
  type Json,
} from '../tools/project.ts';
import { RECORD_SCHEMA, asyncapiRoot, bundleAsyncApi, checkAsyncApi, recordsJsonSchema } from '../tools/asyncapi.ts';
import { buildRecordValidatorModule, buildValidatorModule } from './lib/validator-module.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const outDir = values.out ?? generatedDir;
const ADMIN_DOCUMENT = join(root, 'packages/mock/admin.openapi.yaml');
const adminTypesFile = values.out ? join(values.out, 'admin-api.ts') : join(root, 'packages/mock/src/admin-api.ts');
const started = performance.now();

// Redocly's bundler (@redocly/openapi-core) in this process, with the project's redocly.yaml.
// Pinned to the version openapi-typescript already installs, so there is one copy: @redocly/cli
// carries its own copy inside its package rather than as a dependency. Its bundles were byte
// for byte what `redocly bundle` wrote when it replaced the two CLI runs here.
const config = await loadConfig({ configPath: join(root, 'redocly.yaml') });
// Each operation's x-codeSamples are files of the spec (openapi/code_samples/): the bundle inlines them.
const bundled = withPackageVersion(await redoclyBundle(false));
const dereferenced = withPackageVersion(await redoclyBundle(true));

mkdirSync(outDir, { recursive: true });
write('openapi.json', json(bundled));
write('openapi.yaml', yaml(bundled));
write('openapi.deref.json', json(dereferenced));
write('openapi.3.0.json', json(toOpenApi30(bundled)));
write('schema.d.ts', HEADER + (await typesFrom(bundled)));
mkdirSync(dirname(adminTypesFile), { recursive: true });
writeFileSync(
  adminTypesFile,
  HEADER.replace('the spec', 'admin.openapi.yaml') + (await typesFrom(parseYaml(readFileSync(ADMIN_DOCUMENT, 'utf8')))),
);
const validator = buildValidatorModule(dereferenced.components.schemas.DbConnsAuditingConfigUpdate);
write('validate-config-update.js', validator.js);
write('validate-config-update.d.ts', validator.dts);
const table = operationTable(dereferenced);
write('operations.js', `${HEADER}export const operations = ${JSON.stringify(table, null, 2)};\n`);
write('operations.d.ts', `${HEADER}export declare const operations: ${literalType(table)};\n`);

// The audit records: the hand-written source and its bundle must both pass the AsyncAPI parser.
await checkAsyncApi(readFileSync(asyncapiRoot, 'utf8'), asyncapiRoot);
const asyncapi = withPackageVersion(await bundleAsyncApi(config));
await checkAsyncApi(asyncapi, 'the bundled AsyncAPI document');
write('asyncapi.json', json(asyncapi));
write('asyncapi.yaml', yaml(asyncapi));
const records = recordsJsonSchema(asyncapi);
write('audit-records.schema.json', json(records));
write('audit-records.d.ts', HEADER + (await recordTypes(records)));
const recordValidator = buildRecordValidatorModule(records, './audit-records.js');
write('validate-audit-record.js', recordValidator.js);
write('validate-audit-record.d.ts', recordValidator.dts);

console.log(`built ${outDir} in ${Math.round(performance.now() - started)} ms`);

/**
 * What the client needs to know of each operation of the contract's path, by operationId: its method and path,
 * whether its success response has a body, and the error codes it documents (every
 * `error_code` enum of its error responses; 401 and 403 document none).
 */
function operationTable(doc: Json) {
  const table: Record<string, { method: string; path: string; successBody: boolean; errorCodes: string[] }> = {};
  // The client calls the auditing configuration's operations; the switches' paths are for other clients.
  const contract = contractPath(doc);
  for (const { path, method, operation } of operationsOf(doc)) {
    if (path !== contract) continue;
    const errorCodes = new Set<string>();
    let successBody = false;
    for (const [status, response] of Object.entries(operation.responses as Json)) {
      if (status.startsWith('2')) successBody ||= Boolean(response.content);
      else for (const code of errorCodeEnum(response.content?.['application/json']?.schema)) errorCodes.add(code);
    }
    table[operation.operationId] = { method: method.toUpperCase(), path, successBody, errorCodes: [...errorCodes] };
  }
  return table;
}

/** The TypeScript type of a JSON value, every part of it a read-only literal. */
function literalType(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return `readonly [${value.map((item) => literalType(item, indent)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const inner = `${indent}  `;
    const entries = Object.entries(value).map(([key, item]) => `${inner}readonly ${key}: ${literalType(item, inner)};`);
    return `{\n${entries.join('\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Bundles the spec's root (the `main` API of redocly.yaml): components kept, or every $ref resolved. */
async function redoclyBundle(dereference: boolean): Promise<Json> {
  const { bundle: document, problems } = await bundle({ ref: join(root, config.apis.main!.root), config, dereference });
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new Error(`bundling failed:\n${errors.map((error) => `${error.ruleId}: ${error.message}`).join('\n')}`);
  return document.parsed;
}

function withPackageVersion(doc: Json): Json {
  return { ...doc, info: { ...doc.info, version: packageJson.version } };
}

/**
 * OpenAPI 3.0.3 for generators that are still 3.0-only. The down-converter handles the
 * JSON Schema differences (const, examples); what it leaves is done here: info.summary and the
 * licence's SPDX identifier do not exist in 3.0, and 3.0 allows scopes only for OAuth2 and
 * OpenID Connect, so the permission an operation needs stays in its description (where the 3.1
 * spec already states it) and leaves its security requirement. 3.0 has no `mutualTLS` scheme
 * type either: that scheme goes, and the introduction says so in words.
 */
function toOpenApi30(doc: Json): Json {
  const converted = new Converter(structuredClone(doc), { allOfTransform: false }).convert() as Json;
  converted.openapi = '3.0.3';
  delete converted.info.summary;
  // 3.0 has no SPDX `identifier`; the SPDX page of the licence says the same thing.
  const licenseId = doc.info.license?.identifier;
  if (licenseId) converted.info.license = { name: doc.info.license.name, url: `https://spdx.org/licenses/${licenseId}.html` };
  const schemes = converted.components.securitySchemes as Json;
  // 3.0 has no `mutualTLS` type: the scheme goes, with every requirement that names it (each is
  // an alternative of its own, so the others still stand), and the introduction says what is lost.
  const lostIn30 = [
    '## Client certificates in this OpenAPI 3.0 rendering',
    'OpenAPI 3.0 has no security scheme for mutual TLS, so this rendering lists only HTTP Basic (`basicAuth`) and bearer ' +
      'tokens (`bearerAuth`). The cluster also lets a client in with a client certificate signed by the CA in its ' +
      '`mtls_trusted_ca` setting, once its `mtls_certificate_authentication` setting is `true` (the `mutualTLS` scheme ' +
      'of the OpenAPI 3.1 spec): a generated client knows nothing of it, so give the certificate to its HTTP library.',
  ];
  const dropped = Object.keys(schemes).filter((name) => schemes[name].type === 'mutualTLS');
  for (const name of dropped) delete schemes[name];
  if (dropped.length) converted.info.description = [converted.info.description.trimEnd(), ...lostIn30].join('\n\n');
  const scoped = (name: string) => ['oauth2', 'openIdConnect'].includes(schemes[name]?.type);
  for (const { operation } of operationsOf(converted)) {
    if (!operation.security) continue;
    operation.security = operation.security
      .filter((requirement: Json) => !Object.keys(requirement).some((name) => dropped.includes(name)))
      .map((requirement: Json) =>
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

/**
 * The records' types. Without `additionalProperties` a schema tolerates unknown fields, which
 * json-schema-to-typescript would type as an index signature of `unknown` on every record: that
 * would hide each record type's own fields from narrowing (`'new_conn' in record`), so the types
 * list the known fields only, as openapi-typescript's do for the configuration.
 */
async function recordTypes(schema: Json): Promise<string> {
  return jsonSchemaToTypeScript(schema, RECORD_SCHEMA, { bannerComment: '', additionalProperties: false, format: false });
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * YAML without anchors or aliases: the yaml library writes an object met twice (messages shared
 * by two channels) as `&a1` … `*a1`, which some linters do not follow (vacuum reports the alias's
 * target as missing), so each occurrence is written out in full, as the JSON file has it.
 */
function yaml(value: unknown): string {
  return toYaml(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

function write(name: string, content: string): void {
  writeFileSync(join(outDir, name), content);
}
