/**
 * npm run release: records the bundled spec of this version as openapi/released/<version>.json,
 * and drafts this version's CHANGELOG.md entry from `oasdiff changelog`, for a person to edit.
 * The breaking-change gate (`npm run breaking`, run by test/integration/breaking.test.ts) holds every later
 * spec to the newest recorded one, so clients generated from a released spec keep working until
 * the next major version.
 *
 * Run it after bumping package.json's version and running `npm run build`, before `npm publish`.
 * It refuses, and changes nothing, when
 *   - this version is already recorded (a released contract never changes),
 *   - generated/openapi.json is not of this version (the build was not run after the bump),
 *   - this version is not above the newest recorded one,
 *   - the spec breaks the newest recorded one and the major version was not raised,
 *   - the gate cannot judge (oasdiff missing or failing).
 */
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { formatChanges, judge } from '../tools/breaking-gate.ts';
import { changelogDraft } from './lib/changelog-draft.ts';
import { generatedDir, packageJson, root } from '../tools/project.ts';
import {
  allowsBreakingChanges,
  compareVersions,
  releasedDir,
  releasedSpecPath,
  releasedVersions,
  checkReleaseVersion,
} from '../tools/released-specs.ts';

const version = packageJson.version;
const bundledPath = `${generatedDir}/openapi.json`;
const target = releasedSpecPath(version);
const shown = (path: string) => relative(root, path);

function refuse(reason: string): never {
  console.error(`release: ${reason}`);
  process.exit(1);
}

checkReleaseVersion(version);
if (existsSync(target)) refuse(`${shown(target)} exists already: version ${version} is released. Bump the version in package.json first.`);

const bundled = JSON.parse(readFileSync(bundledPath, 'utf8'));
if (bundled.info?.version !== version) {
  refuse(`${shown(bundledPath)} is of version ${bundled.info?.version}, package.json of ${version}: run \`npm run build\` first.`);
}

const newest = releasedVersions().at(-1);
if (newest !== undefined) {
  if (compareVersions(version, newest) <= 0) refuse(`version ${version} is not above the newest release, ${newest}.`);
  const { breaking } = await judge(releasedSpecPath(newest), bundledPath).catch((error: Error) =>
    refuse(`the breaking-change gate cannot judge the spec: ${error.message}`),
  );
  if (breaking.length > 0 && !allowsBreakingChanges(newest, version)) {
    refuse(`the spec breaks release ${newest}, so it needs a new major version:\n${formatChanges(breaking)}`);
  }
}

// The CHANGELOG.md entry, drafted before anything is written: if oasdiff fails, nothing is.
const changelogPath = `${root}CHANGELOG.md`;
const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : undefined;
const draft =
  newest !== undefined && changelog !== undefined && !changelog.includes(`## [${version}]`)
    ? await changelogDraft(changelog, version, releasedSpecPath(newest), bundledPath).catch((error: Error) =>
        refuse(`cannot draft the CHANGELOG.md entry: ${error.message}`),
      )
    : undefined;

mkdirSync(releasedDir, { recursive: true });
// COPYFILE_EXCL: never overwrite, even if the file appeared since the check above.
copyFileSync(bundledPath, target, constants.COPYFILE_EXCL);
console.log(`recorded ${shown(target)}: the API contract of version ${version}.`);
if (draft !== undefined) {
  writeFileSync(changelogPath, draft);
  console.log(`Drafted the "## [${version}]" entry of CHANGELOG.md from oasdiff changelog: edit it, commit, and npm publish.`);
} else {
  const since = newest === undefined ? 'the first release of the contract' : `what changed in the spec since ${newest}`;
  console.log(`Now add the entry "## [${version}] - YYYY-MM-DD" to CHANGELOG.md (${since}), commit, and npm publish.`);
}
