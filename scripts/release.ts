/**
 * npm run release: records the bundled spec of this version as openapi/released/<version>.json.
 * The breaking-change gate (test/breaking-changes.test.ts) holds every later spec to the newest
 * recorded one, so clients generated from a released spec keep working until the next major version.
 *
 * Run it after bumping package.json's version and running `npm run build`, before `npm publish`.
 * It refuses, and changes nothing, when
 *   - this version is already recorded (a released contract never changes),
 *   - generated/openapi.json is not of this version (the build was not run after the bump),
 *   - this version is not above the newest recorded one,
 *   - the spec breaks the newest recorded one and the major version was not raised.
 */
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { findBreakingChanges, formatBreakingChanges } from './lib/breaking-changes.ts';
import { generatedDir, packageJson, root } from './lib/project.ts';
import { allowsBreakingChanges, compareVersions, readReleasedSpec, releasedDir, releasedSpecPath, releasedVersions, versionNumbers } from './lib/released-specs.ts';

const version = packageJson.version;
const bundledPath = `${generatedDir}/openapi.json`;
const target = releasedSpecPath(version);
const shown = (path: string) => relative(root, path);

function refuse(reason: string): never {
  console.error(`release: ${reason}`);
  process.exit(1);
}

versionNumbers(version); // a release version is major.minor.patch
if (existsSync(target)) refuse(`${shown(target)} exists already: version ${version} is released. Bump the version in package.json first.`);

const bundled = JSON.parse(readFileSync(bundledPath, 'utf8'));
if (bundled.info?.version !== version) {
  refuse(`${shown(bundledPath)} is of version ${bundled.info?.version}, package.json of ${version}: run \`npm run build\` first.`);
}

const newest = releasedVersions().at(-1);
if (newest !== undefined) {
  if (compareVersions(version, newest) <= 0) refuse(`version ${version} is not above the newest release, ${newest}.`);
  const breaking = findBreakingChanges(readReleasedSpec(newest), bundled);
  if (breaking.length > 0 && !allowsBreakingChanges(newest, version)) {
    refuse(`the spec breaks release ${newest}, so it needs a new major version:\n${formatBreakingChanges(breaking)}`);
  }
}

mkdirSync(releasedDir, { recursive: true });
// COPYFILE_EXCL: never overwrite, even if the file appeared since the check above.
copyFileSync(bundledPath, target, constants.COPYFILE_EXCL);
console.log(`recorded ${shown(target)}: the API contract of version ${version}.`);
const since = newest === undefined ? 'the first release of the contract' : `what changed in the spec since ${newest}`;
console.log(`Now add the entry "## [${version}] - YYYY-MM-DD" to CHANGELOG.md (${since}), commit, and npm publish.`);
