/**
 * The spec's TypeScript and curl code samples (openapi/code_samples/), the files themselves, each
 * language against a mock of its own (the packed mock package's bin, installed as a user installs
 * it, on a free port). A TypeScript sample runs in this process in the context that
 * code-sample-context.d.ts declares; a curl sample runs in bash with CLUSTER, REDIS_USER and
 * REDIS_PASSWORD set.
 */
import { packed } from '../../support/packed.ts';
import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { execaSync } from 'execa';
import { DEFAULTS } from 'redis-software-auditing-db-conns-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeSamplesOf } from '../../../tools/code-samples.ts';
import { LAUNCH, startMockBin, type MockBin } from '../../../tools/mock-bin.ts';
import { root } from '../../../tools/project.ts';
import { createAuditingClient, isAuditingApiError } from '../../../src/index.ts';
import { PAGE_RESPONSE_EXAMPLE } from '../../support/facts.ts';

const { name: user, password } = DEFAULTS.user;
let cluster: string;

/** A mock of the describe block's own: a stateful mock must not see another block's reset first. */
function withOwnMock() {
  let mock: MockBin | undefined;
  beforeAll(async () => {
    mock = await startMockBin({ launch: LAUNCH.node((await packed()).mockBin) });
    cluster = mock.url;
  });
  afterAll(() => mock?.stop());
}

// In order: a stateful mock sees the reads and the update before the reset.
describe('the TypeScript samples', () => {
  withOwnMock();
  const samples = codeSamplesOf('TypeScript');
  const newClient = () => createAuditingClient({ baseUrl: cluster, username: user, password });
  const AsyncFunction = (async () => {}).constructor as new (...source: string[]) => (...values: unknown[]) => Promise<void>;
  /** Runs a sample with the context's names bound, and returns the lines it printed. */
  const run = async (operationId: string) => {
    const { file } = samples.get(operationId)!;
    const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'ts', sourcefile: file });
    const names = { cluster, user, password, auditing: newClient(), createAuditingClient, isAuditingApiError };
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      // In a block of its own, since the GET sample declares the `auditing` that the others are given.
      await new AsyncFunction(...Object.keys(names), `{\n${code}\n}`)(...Object.values(names));
      return log.mock.calls;
    } finally {
      log.mockRestore();
    }
  };

  it('getDbConnsAuditingConfig reads the page example', async () => {
    expect(await run('getDbConnsAuditingConfig')).toEqual([['audit records go to 127.0.0.1:12345 over TCP']]);
    expect(await newClient().get()).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
  });

  it('updateDbConnsAuditingConfig sets the port', async () => {
    await newClient().update({ audit_port: 4000 });
    expect(await run('updateDbConnsAuditingConfig')).toEqual([['audit_port is now', 12345]]);
    expect((await newClient().get()).audit_port).toBe(12345);
  });

  it('deleteDbConnsAuditingConfig resets', async () => {
    expect(await run('deleteDbConnsAuditingConfig')).toEqual([['the configuration was reset']]);
  });
});

describe('the curl samples', () => {
  withOwnMock();
  const samples = codeSamplesOf('Shell');
  const runSample = (operationId: string) => {
    const ran = execaSync('bash', ['-euo', 'pipefail', samples.get(operationId)!.file], {
      env: { CLUSTER: cluster, REDIS_USER: user, REDIS_PASSWORD: password },
      reject: false,
      stripFinalNewline: false,
      timeout: 15_000,
    });
    expect(ran.exitCode, ran.stderr).toBe(0);
    return ran.stdout;
  };

  it('getDbConnsAuditingConfig prints the page example', () => {
    expect(JSON.parse(runSample('getDbConnsAuditingConfig'))).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
  });

  it('updateDbConnsAuditingConfig prints the configuration with the new port', () => {
    expect(JSON.parse(runSample('updateDbConnsAuditingConfig')).audit_port).toBe(12345);
  });

  it('deleteDbConnsAuditingConfig prints 200', () => {
    expect(runSample('deleteDbConnsAuditingConfig')).toBe('200\n');
  });
});

describe('docs/other-languages.md', () => {
  const readme = readFileSync(`${root}docs/other-languages.md`, 'utf8');
  const manifest = (file: string) => readFileSync(`${root}test/languages/${file}`, 'utf8');

  it("shows each generated client's GET sample as the spec carries it", () => {
    for (const lang of ['Go', 'Python', 'Java']) {
      expect(readme, lang).toContain(readFileSync(codeSamplesOf(lang).get('getDbConnsAuditingConfig')!.file, 'utf8'));
    }
  });

  it('names the generator versions that the manifests pin', () => {
    const go = manifest('go/go.mod').match(/github\.com\/oapi-codegen\/oapi-codegen\/v2 (v[\d.]+)/)![1];
    const python = manifest('python/requirements.txt').match(/^openapi-python-client==([\d.]+)$/m)![1];
    const java = manifest('java/pom.xml').match(/openapi-generator-maven-plugin<\/artifactId>\s*<version>([\d.]+)</)![1];
    expect(readme).toContain(`oapi-codegen@${go}`);
    expect(readme).toContain(`openapi-python-client==${python}`);
    expect(readme).toContain(`openapi-generator-maven-plugin\` ${java}`);
  });
});
