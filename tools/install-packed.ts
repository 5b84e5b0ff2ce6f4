/**
 * The two packages as users get them: each packed as a publish packs it (its `prepack` builds
 * it first), and both tarballs installed into a fresh project with no other file of this
 * repository. The language suites, schemathesis, the docs' samples and the package tests use
 * what is installed there: the spec files by the contract's export subpaths, and the mock
 * through its bin or its library. The bench weighs and times that install.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { root, toolEnv } from './project.ts';

export interface Installed {
  /** The fresh project both tarballs are installed in. */
  project: string;
  /** The installed contract package's folder. */
  contract: string;
  /** The installed mock's bin: `node <mockBin>` is what `npx redis-auditing-mock` runs. */
  mockBin: string;
  tarballs: { contract: string; mock: string };
  /** How long `npm install` of the two tarballs took. */
  installMs: number;
  /** What each tarball holds, by path. */
  files: { contract: string[]; mock: string[] };
}

const MOCK_WORKSPACE = 'packages/mock';

/**
 * Packs both packages into `dir` and installs them into `dir/project`, with the packages named
 * `beside` (a caller's own needs). `built`: the caller has just built both (the test run's
 * pretest), so the packs skip their prepack build.
 */
export async function installPacked(
  dir: string,
  { built = false, beside = [] }: { built?: boolean; beside?: string[] } = {},
): Promise<Installed> {
  mkdirSync(dir, { recursive: true });
  const pack = async (cwd: string) => {
    const args = ['pack', '--json', '--pack-destination', dir, ...(built ? ['--ignore-scripts'] : [])];
    const { stdout } = await execa('npm', args, { cwd, env: toolEnv });
    // Only npm's JSON: the builds that packing runs print to stderr.
    const [info] = JSON.parse(stdout);
    return { tarball: join(dir, info.filename) as string, files: info.files.map((file: { path: string }) => file.path) as string[] };
  };
  const contract = await pack(root);
  const mock = await pack(join(root, MOCK_WORKSPACE));
  const tarballs = { contract: contract.tarball, mock: mock.tarball };
  const project = join(dir, 'project');
  const installMs = await installInto(project, [tarballs.contract, tarballs.mock, ...beside]);
  const modules = join(project, 'node_modules');
  return {
    project,
    contract: join(modules, 'redis-software-auditing-db-conns'),
    mockBin: join(modules, 'redis-software-auditing-db-conns-mock', 'dist', 'cli.js'),
    tarballs,
    installMs,
    files: { contract: contract.files, mock: mock.files },
  };
}

/** `npm install` of `specs` (tarballs or registry names) into a new project at `project`: how long it took, in ms. */
export async function installInto(project: string, specs: string[]): Promise<number> {
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = (mode: string) => execa('npm', ['install', mode, '--no-audit', '--no-fund', ...specs], { cwd: project, env: toolEnv });
  // Offline where the npm cache has the dependencies; the registry otherwise.
  const { durationMs } = await install('--offline').catch(() => install('--prefer-offline'));
  return durationMs;
}
