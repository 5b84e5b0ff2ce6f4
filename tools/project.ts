// Paths and facts about this package that scripts and tests share.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A parsed JSON or YAML document, read loosely: OpenAPI documents and their parts. */
export type Json = Record<string, any>;

export const root = fileURLToPath(new URL('../', import.meta.url));
export const generatedDir = `${root}generated`;

export const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Runs a package's command-line entry point with this Node, not through npx (whose child outlives a kill). */
export const bin = {
  redocly: `${root}node_modules/@redocly/cli/lib/index.js`,
  biome: `${root}node_modules/@biomejs/biome/bin/biome`,
  prism: `${root}node_modules/@stoplight/prism-cli/dist/index.js`,
  tsx: `${root}node_modules/tsx/dist/cli.mjs`,
  tsc: `${root}node_modules/typescript/bin/tsc`,
};

/** Where `npm run docs` writes the rendered API docs. */
export const docsPage = `${root}build/docs/index.html`;

/** Keeps tools quiet and private: no telemetry, no update notices. */
export const toolEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  NO_UPDATE_NOTIFIER: '1',
};

/** The first line of every code file the build writes. */
export const GENERATED_HEADER = '// Generated from the spec by scripts/build.ts: do not edit.\n';

/** The HTTP methods a path item may hold operations under; its other keys (parameters, summary...) are not operations. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of an OpenAPI document, with its path and method. */
export function* operationsOf(doc: {
  paths?: Record<string, any>;
}): Generator<{ path: string; method: string; operation: Record<string, any> }> {
  for (const [path, pathItem] of Object.entries(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (pathItem?.[method]) yield { path, method, operation: pathItem[method] };
    }
  }
}

/**
 * The path this contract is about: the auditing configuration's, named by the operation the
 * client reads it with. The spec's other paths are the switches that turn auditing on.
 */
export function contractPath(doc: { paths?: Record<string, any> }): string {
  const found = [...operationsOf(doc)].find(({ operation }) => operation.operationId === 'getDbConnsAuditingConfig');
  if (!found) throw new Error('the spec has no getDbConnsAuditingConfig operation: which path is the contract?');
  return found.path;
}

/** The `error_code` enum of an error body schema, looking through `allOf`. */
export function errorCodeEnum(schema: Json | undefined): string[] {
  if (!schema) return [];
  return [...(schema.properties?.error_code?.enum ?? []), ...(schema.allOf ?? []).flatMap(errorCodeEnum)];
}
