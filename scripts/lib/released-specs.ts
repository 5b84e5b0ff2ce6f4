// The bundled spec of every release, kept in openapi/released/<version>.json by `npm run release`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { root } from './project.ts';

export const releasedDir = `${root}openapi/released`;

const FILE_NAME = /^(\d+)\.(\d+)\.(\d+)\.json$/;

/** The version numbers of a semantic version such as `1.2.3`, for comparing. */
export function versionNumbers(version: string): [number, number, number] {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!match) throw new Error(`not a release version (major.minor.patch): ${version}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative when a comes before b, positive when after, 0 when equal. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [versionNumbers(a), versionNumbers(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Breaking changes come only with a new major version: 2.0.0 may break 1.4.2, 1.5.0 may not. */
export const allowsBreakingChanges = (releasedVersion: string, version: string) =>
  versionNumbers(version)[0] > versionNumbers(releasedVersion)[0];

/** The released versions, oldest first (by semantic version, not by name: 1.10.0 comes after 1.9.0). */
export function releasedVersions(dir = releasedDir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => FILE_NAME.exec(name)?.slice(1, 4).join('.') ?? [])
    .sort(compareVersions);
}

export const releasedSpecPath = (version: string, dir = releasedDir) => `${dir}/${version}.json`;

export const readReleasedSpec = (version: string, dir = releasedDir) => JSON.parse(readFileSync(releasedSpecPath(version, dir), 'utf8'));
