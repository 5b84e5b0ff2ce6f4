/**
 * The audit records' contract (asyncapi/): bundled into one document, checked by the AsyncAPI
 * parser, and cut into the one JSON Schema that listeners and their generators read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { bundle, type Config } from '@redocly/openapi-core';
import { parse as parseYaml } from 'yaml';
import { root, type Json } from './project.ts';

export const asyncapiRoot = join(root, 'asyncapi', 'asyncapi.yaml');

/** The schema the records' JSON Schema is made of: one record on the stream. */
export const RECORD_SCHEMA = 'AuditRecord';

/**
 * One AsyncAPI document with every file of asyncapi/ in it, the schemas under components.
 * Redocly's bundler (1.34) keeps components only for schemas in AsyncAPI 3 and inlines each
 * message wherever it is used, operations included, where AsyncAPI 3 wants a reference to the
 * channel's message. The root's channels and operations refer only within the root, so they are
 * taken as the root has them, references and all.
 */
export async function bundleAsyncApi(config: Config): Promise<Json> {
  const { bundle: document, problems } = await bundle({ ref: asyncapiRoot, config, dereference: false });
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new Error(`bundling asyncapi/ failed:\n${errors.map((error) => error.message).join('\n')}`);
  const source = parseYaml(readFileSync(asyncapiRoot, 'utf8')) as Json;
  for (const part of ['channels', 'operations']) {
    const external = JSON.stringify(source[part]).match(/"\$ref":"(?!#)[^"]*"/);
    if (external) throw new Error(`asyncapi/asyncapi.yaml: ${part} may refer only within the root document, not to ${external[0]}`);
  }
  return { ...document.parsed, channels: source.channels, operations: source.operations };
}

/** Parses and validates an AsyncAPI document with the AsyncAPI parser; throws on any error diagnostic. */
export async function checkAsyncApi(document: Json | string, where: string): Promise<void> {
  const { diagnostics } = await new Parser().parse(typeof document === 'string' ? document : JSON.stringify(document), { source: where });
  // The parser's DiagnosticSeverity: 0 is an error (1 a warning, 2 information, 3 a hint).
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
  if (errors.length > 0) {
    const lines = errors.map((error) => `${error.code} at ${error.path.join('.') || '(root)'}: ${error.message}`);
    throw new Error(`${where} is not a valid AsyncAPI document:\n${lines.join('\n')}`);
  }
}

/**
 * The records' JSON Schema (draft-07, the dialect AsyncAPI's payloads use): the union of the
 * record types at its root, self-contained. Objects and enums stay named under `definitions`, so
 * generators name their types after them; the one-field schemas (a port, a timestamp) are inlined,
 * so that a field is a plain string or integer in every generated model rather than a wrapper type.
 */
export function recordsJsonSchema(asyncapi: Json): Json {
  const schemas = asyncapi.components.schemas as Record<string, Json>;
  const definitions: Record<string, Json> = {};
  const named = (schema: Json) => schema.type === 'object' || schema.enum !== undefined || schema.oneOf !== undefined;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const ref = (value as Json).$ref as string | undefined;
    if (ref !== undefined) {
      const name = ref.match(/^#\/components\/schemas\/(\w+)$/)?.[1];
      const target = name === undefined ? undefined : schemas[name];
      if (!target) throw new Error(`asyncapi/: a record schema refers to ${ref}, which is not a schema of the document`);
      if (!named(target)) return rewrite(target);
      if (!(name! in definitions)) {
        definitions[name!] = {};
        definitions[name!] = rewrite(target) as Json;
      }
      return { $ref: `#/definitions/${name}` };
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]));
  };
  const union = rewrite(schemas[RECORD_SCHEMA]) as Json;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...union, definitions };
}

/** Every example payload of the document's messages, by message name: what a cluster sends. */
export function messageExamples(asyncapi: Json): { message: string; name: string; payload: Json }[] {
  return Object.values(asyncapi.components.messages as Record<string, Json>).flatMap((message) =>
    (message.examples ?? []).map((example: Json) => ({ message: message.name, name: example.name, payload: example.payload })),
  );
}
