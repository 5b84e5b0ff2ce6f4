/**
 * oasdiff, the OpenAPI differ behind the breaking-change gate, run with this contract's policy.
 *
 * The version is pinned, with checksums, by the Go tool manifest tools/oasdiff/go.mod and go.sum.
 * The first run installs that version with `go install tool` into the project's cache
 * (tools/cache.ts), outside the repository; later runs use the binary there. Go is the one thing
 * it needs.
 */
import { execa, execaSync } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir as projectCache, goEnv } from './cache.ts';
import { root } from './project.ts';

const manifestDir = `${root}tools/oasdiff`;

/**
 * The contract's policy as oasdiff configuration: the failing level, and the rules raised to it.
 * Every oasdiff call here reads it, so the gate, the release and the tests judge alike.
 */
export const policyConfig = `${root}openapi/breaking/oasdiff.yaml`;

/** The oasdiff version that tools/oasdiff/go.mod requires. */
export function oasdiffVersion(): string {
  const manifest = readFileSync(`${manifestDir}/go.mod`, 'utf8');
  const version = /^\s*github\.com\/oasdiff\/oasdiff (v\S+)/m.exec(manifest)?.[1];
  if (!version) throw new Error(`${manifestDir}/go.mod requires no version of github.com/oasdiff/oasdiff`);
  return version;
}

const cacheDir = projectCache('oasdiff');

/** The path of the pinned oasdiff binary, installed first if it is not there yet. */
export function oasdiffBinary(): string {
  const version = oasdiffVersion();
  const binary = join(cacheDir, version, 'oasdiff');
  if (existsSync(binary)) return binary;

  const go = execaSync('go', ['version'], { reject: false });
  if (go.failed) {
    throw new Error(`oasdiff ${version} is installed with Go, which is missing: install Go 1.26 or later (https://go.dev/doc/install)`);
  }
  process.stderr.write(`Installing oasdiff ${version} into ${join(cacheDir, version)} (once)...\n`);
  mkdirSync(cacheDir, { recursive: true });
  // Into a scratch directory first, then renamed: a second run installing at the same time
  // never sees a half-written binary.
  const scratch = mkdtempSync(join(cacheDir, 'install-'));
  try {
    const install = execaSync('go', ['install', 'tool'], {
      cwd: manifestDir,
      env: { ...process.env, ...goEnv(), GOBIN: scratch },
      extendEnv: false,
      reject: false,
    });
    if (install.failed) throw new Error(`go install of oasdiff ${version} failed:\n${install.stderr}`);
    mkdirSync(join(cacheDir, version), { recursive: true });
    renameSync(join(scratch, 'oasdiff'), binary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return binary;
}

export interface OasdiffRun {
  /** oasdiff's exit code: 0, 1 when a change reached the failing level, other codes for errors. */
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `oasdiff <command> <base> <revision> [...args]` with the contract's policy. */
export async function oasdiff(
  command: 'breaking' | 'changelog' | 'diff',
  base: string,
  revision: string,
  args: string[] = [],
): Promise<OasdiffRun> {
  const run = await execa(oasdiffBinary(), [command, base, revision, '--config', policyConfig, ...args], {
    timeout: 60_000,
    reject: false,
    stripFinalNewline: false,
  });
  if (run.exitCode === undefined) throw new Error(`oasdiff did not run: ${run.message}`);
  return { status: run.exitCode, stdout: run.stdout, stderr: run.stderr };
}

/** One change as oasdiff's JSON output gives it. Level: 3 ERR, 2 WARN, 1 INFO. */
export interface OasdiffChange {
  id: string;
  text: string;
  level: number;
  operation?: string;
  path?: string;
}

export const ERR = 3;
