/**
 * The docs' TypeScript and curl samples, each language against a mock of its own (the packed mock
 * package's bin, installed as a user installs it, on a free port): the lines between "sample:" and "end sample" here and in ../curl/samples.sh are
 * what the build copies into each operation's `x-codeSamples`.
 */
import { packed } from '../../support/packed.ts';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_SOURCES, samplesIn } from '../../../scripts/lib/code-samples.ts';
import { startMockBin, type MockBin } from '../../../scripts/lib/mock-bin.ts';
import { root } from '../../../scripts/lib/project.ts';
import { createAuditingClient, isAuditingApiError } from '../../../src/index.ts';
import { PAGE_RESPONSE_EXAMPLE } from '../../support/facts.ts';

const user = 'admin@example.com';
const password = 'secret';
let cluster: string;

/** A mock of the describe block's own: a stateful mock must not see another block's reset first. */
function withOwnMock() {
  let mock: MockBin | undefined;
  beforeAll(async () => {
    mock = await startMockBin((await packed()).mockBin);
    cluster = mock.url;
  });
  afterAll(() => mock?.stop());
}

// In order: a stateful mock sees the reads and the update before the reset.
describe('the TypeScript samples', () => {
  withOwnMock();
  const newClient = () => createAuditingClient({ baseUrl: cluster, username: user, password });
  /** What a sample prints, instead of the test's output. */
  const printed = () => vi.spyOn(console, 'log').mockImplementation(() => {});

  it('getDbConnsAuditingConfig reads the page example', async () => {
    const log = printed();
    // sample: getDbConnsAuditingConfig
    const auditing = createAuditingClient({ baseUrl: cluster, username: user, password });
    const config = await auditing.get(); // a DbConnsAuditingConfig
    console.log(`audit records go to ${config.audit_address}:${config.audit_port} over ${config.audit_protocol}`);
    // end sample
    expect(log.mock.calls).toEqual([['audit records go to 127.0.0.1:12345 over TCP']]);
    log.mockRestore();
    expect(config).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
  });

  it('updateDbConnsAuditingConfig sets the port', async () => {
    const auditing = newClient();
    const log = printed();
    // sample: updateDbConnsAuditingConfig
    // Checked against the spec before it is sent: a bad body throws AuditingValidationError,
    // naming each field and rule; a refusal by the cluster throws AuditingApiError.
    const updated = await auditing.update({ audit_port: 12345 });
    console.log('audit_port is now', updated.audit_port);
    // end sample
    log.mockRestore();
    expect(updated.audit_port).toBe(12345);
  });

  it('deleteDbConnsAuditingConfig resets', async () => {
    const auditing = newClient();
    const log = printed();
    // sample: deleteDbConnsAuditingConfig
    try {
      await auditing.reset();
      console.log('the configuration was reset');
    } catch (error) {
      if (!isAuditingApiError(error, 'deleteDbConnsAuditingConfig') || error.errorCode !== 'db_conns_audit_config_not_found') throw error;
      console.log('there was no configuration to reset');
    }
    // end sample
    expect(log.mock.calls).toEqual([['the configuration was reset']]);
    log.mockRestore();
  });
});

describe('the curl samples', () => {
  withOwnMock();
  const samples = samplesIn(readFileSync(`${root}test/languages/curl/samples.sh`, 'utf8'), 'samples.sh');
  const runSample = (operationId: string) => {
    const ran = spawnSync('bash', ['-euo', 'pipefail', '-c', samples.get(operationId)!], {
      encoding: 'utf8',
      env: { ...process.env, CLUSTER: cluster, REDIS_USER: user, REDIS_PASSWORD: password },
      timeout: 15_000,
    });
    expect(ran.status, ran.stderr).toBe(0);
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

  it("shows each generated client's GET sample as the tests run it", () => {
    for (const { label, file } of SAMPLE_SOURCES.filter(({ label }) => ['Go', 'Python', 'Java'].includes(label))) {
      const sample = samplesIn(readFileSync(`${root}${file}`, 'utf8'), file).get('getDbConnsAuditingConfig')!;
      expect(readme, label).toContain(sample);
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
