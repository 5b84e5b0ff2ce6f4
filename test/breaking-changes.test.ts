/**
 * The breaking-change gate. Teams in other languages generate clients from the released spec
 * files, so a change that breaks such a client may only come with a new major version.
 *
 * - findBreakingChanges: each kind of breaking change, made by one edit of a copy of the current
 *   bundled spec, is reported as that kind; additive changes are not reported.
 * - the gate: the current spec against the newest release in openapi/released/.
 * - npm run release: run for real in a scratch copy of the package.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBreakingChanges, formatBreakingChanges, type BreakingChangeKind } from '../scripts/lib/breaking-changes.ts';
import { bin, packageJson, root } from '../scripts/lib/project.ts';
import { allowsBreakingChanges, compareVersions, readReleasedSpec, releasedDir, releasedVersions } from '../scripts/lib/released-specs.ts';
import { node } from './support/run.ts';
import { bundled, PATH, readGenerated, type Json } from './support/facts.ts';

type Edit = (spec: Json) => void;

const schemas = (spec: Json): Json => spec.components.schemas;
const operation = (spec: Json, method: 'get' | 'put' | 'delete'): Json => spec.paths[PATH][method];
const PUT_BODY = `PUT ${PATH} request body application/json`;
const GET_200 = `GET ${PATH} response 200 application/json`;

/** An optional, nested object field, so that a field can be removed at depth. */
const addTlsObject: Edit = (spec) => {
  schemas(spec).DbConnsAuditingConfig.properties.tls = {
    type: 'object',
    description: 'TLS settings.',
    properties: { ca_cert: { type: 'string', description: 'The CA certificate.' }, verify: { type: 'boolean', description: 'Whether to verify.' } },
  };
};
const optionalQueryParameter = { name: 'node', in: 'query', required: false, description: 'A node id.', schema: { type: 'string' } };

/** Applies the edits to a copy of the current bundled spec. */
const edited = (...edits: Edit[]): Json => {
  const spec = structuredClone(bundled);
  for (const edit of edits) edit(spec);
  return spec;
};

interface Case {
  name: string;
  kind: BreakingChangeKind;
  /** One place that must be reported. */
  where: string;
  /** The one edit that makes the current spec from the released one. */
  edit: Edit;
  /** When the case needs the released spec to differ from the current one first. */
  released?: Edit;
}

const breakingCases: Case[] = [
  { name: 'a removed path', kind: 'path-removed', where: PATH, edit: (s) => delete s.paths[PATH] },
  { name: 'a removed operation', kind: 'operation-removed', where: `DELETE ${PATH}`, edit: (s) => delete s.paths[PATH].delete },
  { name: 'a removed response status', kind: 'response-status-removed', where: `DELETE ${PATH} response 404`, edit: (s) => delete operation(s, 'delete').responses['404'] },
  { name: 'a removed default response', kind: 'response-status-removed', where: `DELETE ${PATH} response default`, edit: (s) => delete operation(s, 'delete').responses.default },
  { name: 'a removed response field', kind: 'response-field-removed', where: `${GET_200}: audit_port`, edit: (s) => delete schemas(s).DbConnsAuditingConfig.properties.audit_port },
  {
    name: 'a removed response field inherited through allOf and $ref',
    kind: 'response-field-removed',
    where: `DELETE ${PATH} response default application/json: description`,
    edit: (s) => delete schemas(s).ApiError.properties.description,
  },
  {
    name: 'a removed response field at depth',
    kind: 'response-field-removed',
    where: `${GET_200}: tls.ca_cert`,
    released: addTlsObject,
    edit: (s) => delete schemas(s).DbConnsAuditingConfig.properties.tls.properties.ca_cert,
  },
  {
    name: 'a removed enum value in a response',
    kind: 'response-enum-value-removed',
    where: `PUT ${PATH} response 400 application/json: error_code`,
    edit: (s) => (schemas(s).InvalidConfigErrorCode.enum = schemas(s).InvalidConfigErrorCode.enum.filter((code: string) => code !== 'db_conns_auditing_bad_address')),
  },
  { name: 'a removed response media type', kind: 'response-media-type-removed', where: `GET ${PATH} response 200 application/json`, edit: (s) => renameKey(s.components.responses.DbConnsAuditingConfig.content, 'application/json', 'application/vnd.redis+json') },
  { name: 'a response field no longer required', kind: 'response-field-no-longer-required', where: `GET ${PATH} response 401 application/json: error_code`, edit: (s) => (schemas(s).ApiError.required = []) },
  { name: 'a response field that may now be null', kind: 'response-type-changed', where: `${GET_200}: audit_reconnect_interval`, edit: (s) => (schemas(s).AuditReconnectInterval.type = ['integer', 'null']) },
  { name: 'a new required request field', kind: 'request-field-newly-required', where: `${PUT_BODY}: audit_address`, edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.required = ['audit_address']) },
  { name: 'a newly forbidden request field', kind: 'request-field-forbidden', where: `${PUT_BODY}: audit_reconnect_interval`, edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.properties.audit_reconnect_interval = false) },
  {
    name: 'unknown request fields newly forbidden (additionalProperties true to false)',
    kind: 'request-unknown-fields-forbidden',
    where: PUT_BODY,
    released: (s) => (schemas(s).DbConnsAuditingConfigUpdate.additionalProperties = true),
    edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.additionalProperties = false),
  },
  { name: 'a changed request field type', kind: 'request-type-changed', where: `${PUT_BODY}: audit_port`, edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.properties.audit_port = { type: 'string', description: 'The port, as text.' }) },
  { name: 'a raised request minimum', kind: 'request-range-narrowed', where: `${PUT_BODY}: audit_reconnect_interval`, edit: (s) => (schemas(s).AuditReconnectInterval.minimum = 1) },
  { name: 'a lowered request maximum', kind: 'request-range-narrowed', where: `${PUT_BODY}: audit_port`, edit: (s) => (schemas(s).AuditPort.maximum = 49151) },
  { name: 'an added request minimum', kind: 'request-range-narrowed', where: `${PUT_BODY}: audit_queue_max_bytes`, released: (s) => delete schemas(s).AuditQueueMaxBytes.minimum, edit: (s) => (schemas(s).AuditQueueMaxBytes.minimum = 0) },
  { name: 'an added request maximum', kind: 'request-range-narrowed', where: `${PUT_BODY}: audit_queue_max_bytes`, edit: (s) => (schemas(s).AuditQueueMaxBytes.maximum = 1_073_741_824) },
  {
    name: 'a removed request enum value',
    kind: 'request-enum-value-removed',
    where: `${PUT_BODY}: audit_protocol`,
    edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.properties.audit_protocol = { $ref: '#/components/schemas/AuditProtocol', enum: ['TCP'] }),
  },
  { name: 'a request field newly limited to an enum', kind: 'request-enum-added', where: `${PUT_BODY}: audit_address`, edit: (s) => (schemas(s).AuditAddress.enum = ['127.0.0.1']) },
  { name: 'a removed request field', kind: 'request-field-removed', where: `${PUT_BODY}: audit_queue_max_bytes`, edit: (s) => delete schemas(s).DbConnsAuditingConfigUpdate.properties.audit_queue_max_bytes },
  { name: 'a new request pattern', kind: 'request-rule-changed', where: `${PUT_BODY}: audit_address`, edit: (s) => (schemas(s).AuditAddress.pattern = '^\\S+$') },
  {
    name: 'a tightened `not` rule in a request',
    kind: 'request-rule-changed',
    where: PUT_BODY,
    edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.not.required = ['audit_protocol']),
  },
  { name: 'a request body newly required', kind: 'request-body-newly-required', where: `PUT ${PATH} request body`, released: (s) => (operation(s, 'put').requestBody.required = false), edit: (s) => (operation(s, 'put').requestBody.required = true) },
  { name: 'a removed request media type', kind: 'request-media-type-removed', where: PUT_BODY, edit: (s) => renameKey(operation(s, 'put').requestBody.content, 'application/json', 'application/merge-patch+json') },
  { name: 'a new required parameter', kind: 'parameter-newly-required', where: `GET ${PATH} parameter query node`, edit: (s) => (operation(s, 'get').parameters = [{ ...optionalQueryParameter, required: true }]) },
  { name: 'a removed parameter', kind: 'parameter-removed', where: `GET ${PATH} parameter query node`, released: (s) => (operation(s, 'get').parameters = [optionalQueryParameter]), edit: (s) => delete operation(s, 'get').parameters },
  { name: 'a changed security scheme', kind: 'security-changed', where: `GET ${PATH} security`, edit: (s) => (s.components.securitySchemes.basicAuth = { type: 'http', scheme: 'bearer' }) },
  { name: 'changed roles of a security requirement', kind: 'security-changed', where: `GET ${PATH} security`, edit: (s) => (operation(s, 'get').security = [{ basicAuth: ['update_cluster'] }]) },
  { name: 'an added role in a security requirement', kind: 'security-changed', where: `GET ${PATH} security`, edit: (s) => operation(s, 'get').security[0].basicAuth.push('view_all_bdbs_info') },
  { name: 'a security requirement where there was none', kind: 'security-changed', where: `DELETE ${PATH} security`, released: (s) => (operation(s, 'delete').security = []), edit: (s) => (operation(s, 'delete').security = [{ basicAuth: ['update_cluster'] }]) },
  {
    name: 'a second scheme required as well',
    kind: 'security-changed',
    where: `PUT ${PATH} security`,
    edit: (s) => {
      s.components.securitySchemes.clusterToken = { type: 'apiKey', in: 'header', name: 'X-Cluster-Token' };
      operation(s, 'put').security = [{ basicAuth: ['update_cluster'], clusterToken: [] }];
    },
  },
];

const additiveCases: Array<{ name: string; edit: Edit }> = [
  { name: 'a new optional request field', edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.properties.audit_tls = { type: 'boolean', description: 'Whether to use TLS.' }) },
  { name: 'a new response field', edit: (s) => (schemas(s).DbConnsAuditingConfig.properties.audit_tls = { type: 'boolean', description: 'Whether TLS is used.' }) },
  { name: 'a new response status', edit: (s) => (operation(s, 'get').responses['404'] = { $ref: '#/components/responses/ConfigNotFound' }) },
  {
    name: 'a new example',
    edit: (s) => {
      s.components.examples.TcpConfigIpv6 = { summary: 'An IPv6 listener', value: { audit_protocol: 'TCP', audit_address: '::1', audit_port: 12345 } };
      operation(s, 'put').requestBody.content['application/json'].examples.tcpIpv6 = { $ref: '#/components/examples/TcpConfigIpv6' };
    },
  },
  { name: 'edited descriptions and summaries everywhere', edit: (s) => editTexts(s) },
  { name: 'a new enum value in a request (shared with the response)', edit: (s) => schemas(s).AuditProtocol.enum.push('TLS') },
  { name: 'a loosened request limit', edit: (s) => (schemas(s).AuditPort.minimum = 0) },
  { name: 'a request field no longer forbidden with another', edit: (s) => delete schemas(s).DbConnsAuditingConfigUpdate.not },
  { name: 'a new operation', edit: (s) => (s.paths[PATH].post = structuredClone(operation(s, 'put'))) },
  { name: 'a new optional parameter', edit: (s) => (operation(s, 'get').parameters = [optionalQueryParameter]) },
  { name: 'a new alternative security requirement', edit: (s) => operation(s, 'get').security.push({ basicAuth: ['view_all_bdbs_info'] }) },
  { name: 'an inlined $ref', edit: (s) => (schemas(s).DbConnsAuditingConfigUpdate.properties.audit_port = structuredClone(schemas(s).AuditPort)) },
];

describe('findBreakingChanges', () => {
  it('finds nothing between the spec and itself, nor its dereferenced form', () => {
    expect(findBreakingChanges(bundled, structuredClone(bundled))).toEqual([]);
    expect(findBreakingChanges(bundled, readGenerated('openapi.deref.json'))).toEqual([]);
    expect(findBreakingChanges(readGenerated('openapi.deref.json'), bundled)).toEqual([]);
  });

  it.each(breakingCases)('reports $name as $kind', ({ kind, where, edit, released }) => {
    const before = edited(...(released ? [released] : []));
    const after = edited(...(released ? [released] : []), edit);
    expect(after, 'the edit must change the spec').not.toEqual(before);

    const changes = findBreakingChanges(before, after);
    expect(new Set(changes.map((change) => change.kind))).toEqual(new Set([kind]));
    expect(changes.map((change) => change.where)).toContain(where);
    for (const change of changes) expect(change.detail).not.toBe('');
  });

  it.each(additiveCases)('does not report $name', ({ edit }) => {
    const after = edited(edit);
    expect(after, 'the edit must change the spec').not.toEqual(bundled);
    expect(findBreakingChanges(bundled, after)).toEqual([]);
  });

  it('follows a recursive schema without looping', () => {
    const tree = (spec: Json) => {
      schemas(spec).DbConnsAuditingConfig.properties.tree = { $ref: '#/components/schemas/Node' };
      schemas(spec).Node = { type: 'object', description: 'A node.', properties: { name: { type: 'string', description: 'Its name.' }, children: { type: 'array', description: 'Its children.', items: { $ref: '#/components/schemas/Node' } } } };
    };
    const released = edited(tree);
    expect(findBreakingChanges(released, edited(tree))).toEqual([]);
    const changes = findBreakingChanges(released, edited(tree, (s) => delete schemas(s).Node.properties.name));
    expect(changes.map((change) => change.where)).toContain(`${GET_200}: tree.name`);
  });
});

describe('the breaking-change gate', () => {
  const versions = releasedVersions();

  it('allows breaking changes in a new major version only', () => {
    expect(allowsBreakingChanges('1.4.2', '2.0.0')).toBe(true);
    expect(allowsBreakingChanges('1.4.2', '1.5.0')).toBe(false);
    expect(allowsBreakingChanges('1.4.2', '1.4.3')).toBe(false);
  });

  it('orders released versions by semantic version, not by name', () => {
    expect(['1.10.0', '1.9.0', '2.0.0', '1.9.10'].sort(compareVersions)).toEqual(['1.9.0', '1.9.10', '1.10.0', '2.0.0']);
  });

  it('has every release recorded under its own version', () => {
    newest();
    for (const version of versions) expect(readReleasedSpec(version).info.version, `${releasedDir}/${version}.json`).toBe(version);
  });

  it("has no release newer than package.json's version", () => {
    expect(compareVersions(newest(), packageJson.version), `released ${newest()}, package.json says ${packageJson.version}`).toBeLessThanOrEqual(0);
  });

  it('lets generated/openapi.json break the newest release only with a new major version', () => {
    const released = newest();
    const changes = findBreakingChanges(readReleasedSpec(released), bundled);
    if (allowsBreakingChanges(released, packageJson.version)) return;
    expect(changes, `generated/openapi.json breaks release ${released}; this needs a new major version in package.json (now ${packageJson.version}):\n${formatBreakingChanges(changes)}`).toEqual([]);
  });
});

describe('npm run release', () => {
  const scratch: string[] = [];
  afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A scratch copy of the package at `version`, whose build wrote `spec` and whose releases are this repository's. */
  const packageAt = (version: string, spec: Json = { ...bundled, info: { ...bundled.info, version } }) => {
    const dir = mkdtempSync(join(tmpdir(), 'release-'));
    scratch.push(dir);
    cpSync(join(root, 'scripts'), join(dir, 'scripts'), { recursive: true });
    cpSync(releasedDir, join(dir, 'openapi/released'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...packageJson, version }, null, 2));
    mkdirSync(join(dir, 'generated'));
    writeFileSync(join(dir, 'generated/openapi.json'), JSON.stringify(spec, null, 2));
    return dir;
  };
  const release = (dir: string) => node([bin.tsx, 'scripts/release.ts'], { cwd: dir });
  const recorded = (dir: string, version: string) => releasedVersions(join(dir, 'openapi/released')).includes(version);

  it('records the bundled spec byte for byte and reminds of the CHANGELOG', () => {
    const dir = packageAt('1.1.0');
    const { status, output } = release(dir);
    expect(status, output).toBe(0);
    expect(readFileSync(join(dir, 'openapi/released/1.1.0.json'), 'utf8')).toBe(readFileSync(join(dir, 'generated/openapi.json'), 'utf8'));
    expect(output).toContain('CHANGELOG.md');
  });

  it('refuses to overwrite a recorded release', () => {
    const dir = packageAt(newest());
    const before = readFileSync(join(dir, `openapi/released/${newest()}.json`), 'utf8');
    const { status, output } = release(dir);
    expect(output).toContain('exists already');
    expect(status).toBe(1);
    expect(readFileSync(join(dir, `openapi/released/${newest()}.json`), 'utf8')).toBe(before);
  });

  it('refuses a spec the build did not write for this version', () => {
    const dir = packageAt('1.1.0', bundled);
    const { status, output } = release(dir);
    expect(output).toContain('npm run build');
    expect(status).toBe(1);
    expect(recorded(dir, '1.1.0')).toBe(false);
  });

  it('refuses a version that is not above the newest release', () => {
    const dir = packageAt('0.9.0');
    const { status, output } = release(dir);
    expect(output).toContain('not above');
    expect(status).toBe(1);
    expect(recorded(dir, '0.9.0')).toBe(false);
  });

  it('refuses a breaking change in a minor version and records it in a major one', () => {
    const breaking = (version: string) => edited((s) => (s.info.version = version), (s) => delete schemas(s).DbConnsAuditingConfig.properties.audit_port);
    const minor = packageAt('1.1.0', breaking('1.1.0'));
    const refused = release(minor);
    expect(refused.output).toContain('response-field-removed');
    expect(refused.status).toBe(1);
    expect(recorded(minor, '1.1.0')).toBe(false);

    const major = packageAt('2.0.0', breaking('2.0.0'));
    const accepted = release(major);
    expect(accepted.status, accepted.output).toBe(0);
    expect(recorded(major, '2.0.0')).toBe(true);
  });
});

/** The newest release in openapi/released/. */
function newest(): string {
  const version = releasedVersions().at(-1);
  if (version === undefined) throw new Error('no release is recorded in openapi/released/: run `npm run release`');
  return version;
}

function renameKey(object: Json, from: string, to: string) {
  object[to] = object[from];
  delete object[from];
}

/** Appends to every description and summary: prose only, no schema keyword. */
function editTexts(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(editTexts);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    if ((key === 'description' || key === 'summary') && typeof value === 'string') (node as Json)[key] = `${value} (edited)`;
    else editTexts(value);
  }
}

