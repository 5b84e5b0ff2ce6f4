// The bundled spec of every release, kept in openapi/released/<version>.json by `npm run release`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import semver from 'semver';
import { root } from './project.ts';

export const releasedDir = `${root}openapi/released`;

const FILE_NAME = /^(\d+)\.(\d+)\.(\d+)\.json$/;

/** A release version is major.minor.patch, nothing more: throws for anything else. */
export function checkReleaseVersion(version: string): string {
  if (semver.valid(version) !== version || semver.prerelease(version))
    throw new Error(`not a release version (major.minor.patch): ${version}`);
  return version;
}

/** Negative when a comes before b, positive when after, 0 when equal (by semantic version). */
export const compareVersions = (a: string, b: string): number => semver.compare(checkReleaseVersion(a), checkReleaseVersion(b));

/** Breaking changes come only with a new major version: 2.0.0 may break 1.4.2, 1.5.0 may not. */
export const allowsBreakingChanges = (releasedVersion: string, version: string) => semver.major(version) > semver.major(releasedVersion);

/** The released versions, oldest first (by semantic version, not by name: 1.10.0 comes after 1.9.0). */
export function releasedVersions(dir = releasedDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => FILE_NAME.exec(name)?.slice(1, 4).join('.') ?? [])
    .sort(compareVersions);
}

export const releasedSpecPath = (version: string, dir = releasedDir) => `${dir}/${version}.json`;

export const readReleasedSpec = (version: string, dir = releasedDir) => JSON.parse(readFileSync(releasedSpecPath(version, dir), 'utf8'));
