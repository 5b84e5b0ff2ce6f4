// The draft of a new version's CHANGELOG.md entry, from `oasdiff changelog` between two specs.
import { formatChanges } from '../../tools/breaking-gate.ts';
import { ERR, oasdiff, type OasdiffChange } from '../../tools/oasdiff.ts';
import { uncheckedBreakingChanges } from '../../tools/unchecked-by-oasdiff.ts';

/**
 * CHANGELOG.md with a `## [<version>] - <today>` entry inserted above the newest released one:
 * oasdiff's changes, breaking ones first, for a person to sort into Added / Changed / Removed.
 */
export async function changelogDraft(changelog: string, version: string, base: string, revision: string): Promise<string> {
  const [run, unchecked] = await Promise.all([
    oasdiff('changelog', base, revision, ['--format', 'json']),
    uncheckedBreakingChanges(base, revision),
  ]);
  // Exit 1: a change reached the policy's failing level; the entry lists it like the others.
  if (run.status !== 0 && run.status !== 1) throw new Error(`oasdiff changelog failed: ${run.stderr.trim().split('\n')[0]}`);
  // oasdiff's notes on the version number (api-version-not-bumped...) are about the spec's
  // info.version, which the build sets from package.json: not a change of the contract.
  const changes = (JSON.parse(run.stdout || '[]') as OasdiffChange[]).filter((change) => !/^api-(major-)?version-/.test(change.id));
  const list = (of: OasdiffChange[]) => formatChanges(of).replace(/^ {2}/gm, '- ');
  const breaking = [...changes.filter((change) => change.level >= ERR), ...unchecked];
  const other = changes.filter((change) => change.level < ERR);
  const entry = [
    `## [${version}] - ${new Date().toISOString().slice(0, 10)}`,
    '',
    '<!-- Drafted by `npm run release` from `oasdiff changelog`: sort into Added / Changed / Removed, in words a client author uses. -->',
    '',
    ...(breaking.length > 0 ? ['### Breaking', '', list(breaking), ''] : []),
    ...(other.length > 0 ? ['### Changes', '', list(other), ''] : []),
    ...(breaking.length + other.length === 0 ? ['No change of the API contract that oasdiff reports (wording, examples).', ''] : []),
  ].join('\n');
  // Above the newest released entry, so that [Unreleased] stays on top.
  const at = changelog.search(/^## \[\d/m);
  return at === -1 ? `${changelog.trimEnd()}\n\n${entry}` : `${changelog.slice(0, at)}${entry}\n${changelog.slice(at)}`;
}
