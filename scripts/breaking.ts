/**
 * npm run breaking -- [BASE] [REVISION]
 *
 * Lists the changes from BASE to REVISION that can break a client written or generated from
 * BASE, each with its oasdiff rule id, judged by the contract's policy in openapi/breaking/.
 * BASE defaults to the newest openapi/released/<version>.json, REVISION to generated/openapi.json.
 *
 * Exits 1 when there is a breaking change, 0 when there is none, and 2, with a one-line
 * message, on a usage error or a spec that cannot be read. Whether a break is allowed (only
 * in a new major version) is for `npm test` and `npm run release` to say.
 */
import { relative } from 'node:path';
import { formatChanges, judge } from '../tools/breaking-gate.ts';
import { generatedDir, root } from '../tools/project.ts';
import { releasedSpecPath, releasedVersions } from '../tools/released-specs.ts';

const USAGE = 'usage: npm run breaking -- [BASE] [REVISION] (defaults: the newest openapi/released/*.json, generated/openapi.json)';

function fail(message: string): never {
  console.error(`breaking: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length > 2 || args.some((arg) => arg.startsWith('-'))) fail(USAGE);

const newest = releasedVersions().at(-1);
const base = args[0] ?? (newest === undefined ? fail(`no release in openapi/released/; ${USAGE}`) : releasedSpecPath(newest));
const revision = args[1] ?? `${generatedDir}/openapi.json`;
const shown = (file: string) => (file.startsWith(root) ? relative(root, file) : file);

try {
  const { breaking, warnings } = await judge(base, revision);
  if (warnings.length > 0) console.log(`${warnings.length} possibly breaking (warnings, not failing):\n${formatChanges(warnings)}`);
  if (breaking.length === 0) {
    console.log(`no breaking change from ${shown(base)} to ${shown(revision)}`);
    process.exit(0);
  }
  const count = `${breaking.length} breaking change${breaking.length === 1 ? '' : 's'}`;
  console.log(`${count} from ${shown(base)} to ${shown(revision)}:\n${formatChanges(breaking)}`);
  process.exit(1);
} catch (error) {
  // A GateError is one line; another (Go missing, the install failing) says what to do in full.
  fail((error as Error).message);
}
