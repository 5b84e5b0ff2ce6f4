/**
 * The audit records' contract: the AsyncAPI document (asyncapi/, bundled into generated/) passes
 * the AsyncAPI parser, its messages are the five record types of every version with the field types
 * of the Redis docs, every example is a valid record, and the docs page's record schemas are the same files.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { asyncapiRoot, checkAsyncApi } from '../../tools/asyncapi.ts';
import { packageJson } from '../../tools/project.ts';
import { isAuditRecord } from '../../src/records.ts';
import { bundled, type Json } from '../support/facts.ts';
import { EXAMPLES, EXAMPLE_PAYLOADS, asyncapi, recordsSchema } from '../support/records.ts';

const ajv = new Ajv({ strict: false, allowUnionTypes: true });
const validateRecord = ajv.compile(recordsSchema);
const definitions = recordsSchema.definitions as Record<string, Json>;
const RECORD_TYPES = ['NewConnRecord', 'NewIntConnRecord', 'CloseConnRecord', 'AuthRecord', 'CommandRecord'];
/** Each record type's validator alone, from the same schema. */
const validateType = Object.fromEntries(
  RECORD_TYPES.map((name) => [name, ajv.compile({ ...recordsSchema, oneOf: undefined, $ref: `#/definitions/${name}` })]),
);
const typeOf = (record: unknown) => RECORD_TYPES.filter((name) => validateType[name]!(record));
const example = (name: string) => structuredClone(EXAMPLES.find((candidate) => candidate.name === name)!.payload);

describe('the AsyncAPI document', () => {
  it('passes the AsyncAPI parser, as written and as bundled', async () => {
    await expect(checkAsyncApi(readFileSync(asyncapiRoot, 'utf8'), asyncapiRoot)).resolves.toBeUndefined();
    await expect(checkAsyncApi(asyncapi, 'generated/asyncapi.json')).resolves.toBeUndefined();
  });

  it('fails the check, naming where, when the document breaks the AsyncAPI schema', async () => {
    const broken = structuredClone(asyncapi);
    broken.operations.sendOverTcp.action = 'publish';
    await expect(checkAsyncApi(broken, 'a broken copy')).rejects.toThrow(
      /a broken copy is not a valid AsyncAPI document:[\s\S]*sendOverTcp/,
    );
  });

  it("is AsyncAPI 3.0 and carries package.json's version", () => {
    expect(asyncapi.asyncapi).toBe('3.0.0');
    expect(asyncapi.info.version).toBe(packageJson.version);
  });

  it('has a channel for TCP and one for a Unix stream socket, each on its listener, sent by the cluster', () => {
    const serverOf = (channel: string) => asyncapi.channels[channel].servers[0].$ref.replace('#/servers/', '');
    expect(asyncapi.servers[serverOf('tcp')].protocol).toBe('tcp');
    expect(asyncapi.servers[serverOf('local')].protocol).toBe('unix');
    for (const operation of Object.values(asyncapi.operations) as Json[]) expect(operation.action).toBe('send');
    expect(asyncapi.info.description).toMatch(/connects to the listener/);
    expect(asyncapi.info.description).toMatch(/no handshake and no acknowledgement/);
  });

  it("says that record separation is this contract's decision, and what a listener accepts", () => {
    for (const channel of Object.values(asyncapi.channels) as Json[]) {
      expect(channel.description).toMatch(/not\s+documented by Redis/);
      expect(channel.description).toMatch(/This contract's decision: a sender writes a\s+newline/);
      expect(channel.description).toMatch(/with or without newlines/);
    }
  });

  it('has the five record types of every version as messages, each with an example', () => {
    const messages = Object.values(asyncapi.components.messages) as Json[];
    expect(messages.map((message) => message.name).sort()).toEqual(['auth', 'close_conn', 'command', 'new_conn', 'new_int_conn']);
    for (const message of messages) expect(message.examples?.length, message.name).toBeGreaterThan(0);
  });

  it("says in every record schema's description which facts are Redis's and which this contract's", () => {
    for (const name of RECORD_TYPES) {
      expect(definitions[name]!.description).toMatch(/Redis docs/);
      expect(definitions[name]!.description).toMatch(/this contract's decision/);
    }
  });
});

describe("the records' JSON Schema (generated/audit-records.schema.json)", () => {
  it('is a self-contained draft-07 schema: the union of the five record types', () => {
    expect(recordsSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(recordsSchema.oneOf.map((ref: Json) => ref.$ref)).toEqual(RECORD_TYPES.map((name) => `#/definitions/${name}`));
    expect(JSON.stringify(recordsSchema)).not.toMatch(/"\$ref":"(?!#\/definitions\/)/);
  });

  it('accepts every example of the AsyncAPI document as exactly its own message type, and so does isAuditRecord', () => {
    const expected = {
      new_conn: 'NewConnRecord',
      new_int_conn: 'NewIntConnRecord',
      close_conn: 'CloseConnRecord',
      auth: 'AuthRecord',
      command: 'CommandRecord',
    };
    for (const { message, name, payload } of EXAMPLES) {
      expect(validateRecord(payload), `${name}: ${ajv.errorsText(validateRecord.errors)}`).toBe(true);
      expect(typeOf(payload), name).toEqual([expected[message as keyof typeof expected]]);
      expect(isAuditRecord(payload), name).toBe(true);
    }
  });

  it('types the fields as the Redis docs do', () => {
    const connection = definitions.AuditConnection!.properties;
    for (const field of ['srcip', 'srcp', 'trgip', 'trgp', 'hname', 'bdb_name', 'bdb_uid'])
      expect(connection[field].type, field).toBe('string');
    expect(connection.id.type).toBe('integer');
    const auth = definitions.AuthRecord!.properties;
    for (const field of ['username', 'identity', 'acl-rules', 'group']) expect(auth[field].type, field).toBe('string');
    expect(definitions.AuthStatus!.enum).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(definitions.AuthStatus!['x-enum-varnames'][1]).toBe('AUTHENTICATION_FAILED_TOO_LONG');
    expect(definitions.AuthStatus!.description).toMatch(/`8` AUTHENTICATION_OK/);
    const command = definitions.CommandRecord!.properties;
    expect(command.keys).toMatchObject({ type: 'array', items: { type: 'string' } });
    for (const field of ['full_key_size_bytes', 'captured_key_size_bytes', 'total_keys_count']) expect(command[field].type).toBe('integer');
    expect(command.affected_count.type).toEqual(['integer', 'null']);
    expect([command.key_truncated.type, command.error.type, command.error_truncated.type]).toEqual(['boolean', 'string', 'boolean']);
    expect(definitions.CommandStatus!.enum).toEqual([9, 10]);
    for (const name of RECORD_TYPES) {
      const { properties, required } = definitions[name]!;
      expect(properties.ts.type).toBe('integer');
      // new_int_conn was gone (8.0.2) before audit_worker_id and audit_seq came (8.2).
      if (name !== 'NewIntConnRecord')
        expect([properties.audit_worker_id.type, properties.audit_seq.type], name).toEqual(['integer', 'integer']);
      expect(required[0]).toBe('ts');
    }
    for (const name of ['NewConnRecord', 'NewIntConnRecord', 'CloseConnRecord'])
      expect('action' in definitions[name]!.properties, name).toBe(false);
  });

  it('tolerates fields it does not know, in every record type and in the nested connection', () => {
    expect(JSON.stringify(recordsSchema)).not.toContain('additionalProperties');
    for (const payload of EXAMPLE_PAYLOADS) {
      const newer: Json = { ...structuredClone(payload), added_in_a_later_version: { any: 'thing' } };
      for (const key of ['new_conn', 'new_int_conn', 'close_conn']) if (newer[key]) newer[key].tenant = 'x';
      expect(isAuditRecord(newer)).toBe(true);
    }
  });

  it.each([
    ['an auth status of 11', () => ({ ...example('authenticationNotRequired'), status: 11 })],
    ['a command status of 8', () => ({ ...example('commandSucceeded'), status: 8 })],
    ['a numeric source port', () => ({ ...example('authenticationNotRequired'), srcp: 46252 })],
    ['a numeric target port in new_conn', () => ({ ...example('newConnection'), new_conn: { trgp: 12000 } })],
    ['a string affected_count', () => ({ ...example('commandSucceeded'), affected_count: '1' })],
    ['an unknown action', () => ({ ...example('commandSucceeded'), action: 'acl' })],
    ['no ts', () => ({ ...example('connectionClosed'), ts: undefined })],
    ['a record of two types at once', () => ({ ...example('newConnection'), action: 'auth' })],
    ['an array', () => [example('newConnection')]],
    ['null', () => null],
  ])('rejects %s', (_name, make) => {
    const value = JSON.parse(JSON.stringify(make()));
    expect(validateRecord(value)).toBe(false);
    expect(isAuditRecord(value)).toBe(false);
  });
});

describe('the docs page (the OpenAPI spec) and the AsyncAPI document', () => {
  it('share the record schemas, written once: the components are the AsyncAPI schemas', () => {
    for (const name of ['AuditRecord', ...RECORD_TYPES, 'AuditConnection', 'AuthStatus', 'CommandStatus']) {
      expect(bundled.components.schemas[name], name).toEqual(asyncapi.components.schemas[name]);
    }
  });

  it('show each record type in the "Audit records" section', () => {
    const tag = bundled.tags.find((candidate: Json) => candidate.name === 'Audit records');
    expect(tag['x-traitTag']).toBe(true);
    for (const name of RECORD_TYPES) expect(tag.description).toContain(`{% schemaDefinition schemaRef="#/components/schemas/${name}" /%}`);
  });
});
