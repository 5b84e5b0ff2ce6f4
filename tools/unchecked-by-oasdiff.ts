/**
 * The breaking changes that oasdiff's rules do not judge, found in oasdiff's own structural diff
 * (`oasdiff diff`). Written here because no rule of oasdiff covers them: oasdiff treats servers
 * as outside the contract, marks `additionalProperties` and `not` in request bodies as not yet
 * checked ("waived" in `oasdiff checks changelog coverage`), and (v1.37.0) reports neither a
 * removed `default` response nor a request media type renamed within the JSON family
 * (application/json to application/merge-patch+json). This contract calls each of them
 * breaking; openapi/breaking/oasdiff.yaml and the README list them.
 *
 * When an oasdiff upgrade covers one, test/integration/breaking.test.ts says so, and its check here goes.
 */
import { oasdiff, type OasdiffChange } from './oasdiff.ts';
import type { Json } from './project.ts';
import { isAnnotation } from './schema-keywords.ts';

/** The changes, in the shape of oasdiff's own, at the failing level. */
export async function uncheckedBreakingChanges(base: string, revision: string): Promise<OasdiffChange[]> {
  const run = await oasdiff('diff', base, revision, ['--format', 'json']);
  if (run.status !== 0) throw new Error(`oasdiff diff failed: ${firstLine(run.stderr || run.stdout)}`);
  const diff: Json = JSON.parse(run.stdout || '{}');
  const changes: OasdiffChange[] = [];
  const report = (id: string, text: string, operation?: string, path?: string) => changes.push({ id, text, level: 3, operation, path });

  // A generated client's default base URL is the first server's; any released server or
  // variable that changes or goes away can leave clients calling the wrong address.
  for (const url of diff.servers?.deleted ?? []) report('server-removed', `the server \`${url}\` was removed or its URL changed`);
  for (const [url, change] of Object.entries<Json>(diff.servers?.modified ?? {})) {
    const changed = withoutDocumentation(change, (key) => key === 'description'); // a variable's `default` counts here
    if (changed !== undefined) report('server-changed', `the server \`${url}\` changed: ${JSON.stringify(changed)}`);
  }

  for (const [path, pathDiff] of Object.entries<Json>(diff.paths?.modified ?? {})) {
    for (const [method, operation] of Object.entries<Json>(pathDiff.operations?.modified ?? {})) {
      const at = (id: string, text: string) => report(id, text, method, path);
      if ((operation.responses?.deleted ?? []).includes('default')) at('response-default-removed', 'removed the `default` response');
      for (const [mediaType, content] of Object.entries<Json>(operation.requestBody?.content?.modified ?? {})) {
        if (content.name) {
          at('request-body-media-type-renamed', `the request body media type \`${content.name.name?.from}\` became \`${mediaType}\``);
        }
        if (content.schema) walkRequestSchema(content.schema, `request body ${mediaType}`, at);
      }
    }
  }
  return changes;
}

/** A request schema's diff: what newly rejects bodies the released schema accepted. */
function walkRequestSchema(schema: Json, where: string, at: (id: string, text: string) => void) {
  // Taking `not` away only accepts more; adding or changing it may reject what was accepted.
  const not = withoutDocumentation(schema.not) as Json | undefined;
  if (not !== undefined && !not.schemaDeleted) {
    at('request-body-not-changed', `a new or changed \`not\` in the ${where} may reject bodies the released spec accepted`);
  }
  if (schema.additionalPropertiesAllowed?.to === false && schema.additionalPropertiesAllowed?.from !== false) {
    at('request-body-unknown-fields-rejected', `the ${where} now rejects fields it does not list`);
  }
  for (const [name, property] of Object.entries<Json>(schema.properties?.modified ?? {})) {
    walkRequestSchema(property, `${where} property ${name}`, at);
  }
  for (const [keyword, sub] of Object.entries<Json>(schema)) {
    if (keyword !== 'properties' && keyword !== 'not' && sub !== null && typeof sub === 'object') walkRequestSchema(sub, where, at);
  }
}

/** A diff without its changes of descriptions, examples and other annotations; undefined when nothing else changed. */
function withoutDocumentation(node: unknown, annotates: (key: string) => boolean = isAnnotation): unknown {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const kept = Object.entries(node as Json)
    .filter(([key]) => !annotates(key))
    .map(([key, value]) => [key, withoutDocumentation(value, annotates)] as const)
    .filter(([, value]) => value !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';
