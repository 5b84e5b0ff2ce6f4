/**
 * The contract's path and the reference page's example bodies, read from generated/: what the
 * bench needs of the spec, and what the tests' facts (test/support/facts.ts) build on.
 */
import { readFileSync } from 'node:fs';
import { operations } from '../generated/operations.js';
import { generatedDir, type Json } from './project.ts';

/** The contract's one path. */
export const PATH = operations.getDbConnsAuditingConfig.path;

const dereferenced: Json = JSON.parse(readFileSync(`${generatedDir}/openapi.deref.json`, 'utf8'));
const firstExample = (media: Json | undefined): Json => Object.values((media?.examples ?? {}) as Json)[0]?.value;

/** GET's first named 200 example: the reference page's configuration. */
export const PAGE_RESPONSE_EXAMPLE: Readonly<Json> = firstExample(
  dereferenced.paths[PATH].get.responses['200'].content['application/json'],
);
/** PUT's first named request example: the reference page's update. */
export const PAGE_REQUEST_EXAMPLE: Readonly<Json> = firstExample(dereferenced.paths[PATH].put.requestBody.content['application/json']);
