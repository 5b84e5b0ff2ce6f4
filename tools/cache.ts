/**
 * Everything the project installs outside the repository, under one folder:
 * $XDG_CACHE_HOME (or ~/.cache)/redis-software-auditing-db-conns/<name>. Each entry is named after
 * what it holds (a pinned version, or a hash of pinned requirements), so that a new pin installs
 * beside the old one, and each is installed once: a marker written last says it is whole.
 * Maven keeps its own repository (~/.m2); everything else is here.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { toolEnv } from './project.ts';

const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'redis-software-auditing-db-conns');

/** The folder of one cache entry. */
export const cacheDir = (name: string): string => join(CACHE, name);

/** Go's module and build caches, shared by every Go run of the project; Go never fetches a toolchain of its own. */
export const goEnv = (): Record<string, string> => ({
  GOMODCACHE: cacheDir('go-mod'),
  GOCACHE: cacheDir('go-build'),
  GOTOOLCHAIN: 'local',
  GOFLAGS: '', // a -mod=vendor or similar from the caller's environment would not fit the project's manifests
});

/** Fills `dir` once with `install`; a folder left half-filled by an interrupted run is filled again. */
async function installOnce(dir: string, what: string, install: (dir: string) => Promise<unknown>): Promise<string> {
  const marker = join(dir, '.installed');
  if (existsSync(marker)) return dir;
  console.error(`installing ${what} into ${dir} (once)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await install(dir);
  writeFileSync(marker, '');
  return dir;
}

/** A package of the npm registry, pinned (a Node build, Deno, Bun): the installed package's folder. */
export async function npmPackage(name: string, version: string): Promise<string> {
  const dir = cacheDir(`${name.replace('/', '+')}-${version}`);
  const install = (prefix: string) =>
    execa('npm', ['install', '--silent', '--no-save', '--no-package-lock', '--prefix', prefix, `${name}@${version}`], { env: toolEnv });
  await installOnce(dir, `${name}@${version}`, install);
  return join(dir, 'node_modules', name);
}

/**
 * A Python virtual environment with a requirements file's pinned packages: a new one whenever the
 * requirements or the Python change. Its folder; the tools are in its bin/.
 */
export async function pythonVenv(requirements: string): Promise<string> {
  const python = execaSync('python3', ['-c', 'import sys; print(sys.version)'], { reject: false }).stdout;
  const key = createHash('sha256').update(readFileSync(requirements)).update(python).digest('hex').slice(0, 12);
  return installOnce(cacheDir(`python-${key}`), `the Python packages of ${requirements}`, async (venv) => {
    await execa('python3', ['-m', 'venv', venv]);
    await execa(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], { env: toolEnv });
  });
}
