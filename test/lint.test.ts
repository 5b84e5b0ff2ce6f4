/**
 * Redocly lint, for real: the spec and its 3.0 rendering are clean, and each of this
 * contract's own rules fails on a copy of the spec broken on purpose.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, root } from '../scripts/lib/project.ts';
import { node } from './support/run.ts';

describe('redocly lint', () => {
  it('passes on the spec and its 3.0 rendering with no error and no warning', () => {
    const { status, output } = node([bin.redocly, 'lint']);
    expect(output).toContain('validating openapi/openapi.yaml');
    expect(output).toContain('validating generated/openapi.json');
    expect(output).toContain('validating generated/openapi.3.0.json');
    // Redocly prints a boxed notice about Node 20's end of life; every other line is the lint's.
    const report = output.split('\n').filter((line) => !/[║╔╚]/.test(line)).join('\n');
    expect(report).not.toMatch(/warning|error/i);
    expect(report).toContain('Your API descriptions are valid');
    expect(status).toBe(0);
  });
});

describe('redocly lint on a spec broken on purpose', () => {
  const copies: string[] = [];
  afterAll(() => copies.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Changes one file of a copy of openapi/; the change must apply. */
  const edit = (file: string, change: (text: string) => string) => (spec: string) => {
    const path = join(spec, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, `the change to ${file} must apply`).not.toBe(before);
    writeFileSync(path, after);
  };
  const PATH_FILE = 'paths/v1_cluster_auditing_db_conns.yaml';

  it.each([
    ['a property without a description', 'rule/schema-property-description', edit('components/schemas/AuditReconnectInterval.yaml', (t) => t.replace(/description:.*\n/, ''))],
    ['an operation without a 401', 'rule/operation-401-response', edit(PATH_FILE, (t) => t.replace("    '401':\n      $ref: ../components/responses/Unauthorized.yaml\n", ''))],
    ['an operation without security', 'rule/operation-security-defined', edit(PATH_FILE, (t) => t.replace('  security:\n    - basicAuth:\n        - view_cluster_info\n', ''))],
    ['an inline response body schema', 'rule/body-schema-is-named', edit('components/responses/ConfigNotFound.yaml', (t) => t.replace('$ref: ../schemas/ConfigNotFoundError.yaml', 'type: object\n      properties: {}'))],
    ['an example that breaks its schema', 'no-invalid-media-type-examples', edit('components/examples/TcpConfig.yaml', (t) => t.replace('audit_port: 12345', "audit_port: '12345'"))],
    ['an unused component', 'no-unused-components', edit('openapi.yaml', (t) => t.replace('components:\n', 'components:\n  schemas:\n    Unused:\n      type: string\n      description: Nothing refers to this.\n'))],
  ] as const)('fails on %s (%s)', (_name, rule, breakSpec) => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-broken-'));
    copies.push(dir);
    cpSync(join(root, 'openapi'), join(dir, 'openapi'), { recursive: true });
    // Only the hand-written spec: the copy has no generated/ folder.
    const config = readFileSync(join(root, 'redocly.yaml'), 'utf8').replace(/\n  # What the build derives[\s\S]*?\n(?=\n)/, '\n');
    writeFileSync(join(dir, 'redocly.yaml'), config);
    breakSpec(join(dir, 'openapi'));

    const { status, output } = node([bin.redocly, 'lint'], { cwd: dir });
    expect(output).toContain(rule);
    expect(status).not.toBe(0);
  });

  // Component names exist only once the spec is bundled (the source refers to files), so the
  // naming rules guard the bundled outputs: here, a bundle with one schema renamed.
  it.each([
    ['schemas', 'ApiError', 'api_error', 'rule/schema-names-pascal-case'],
    ['responses', 'Unauthorized', 'unauthorized', 'rule/response-names-pascal-case'],
    ['examples', 'TcpConfig', 'tcp-config', 'rule/example-names-pascal-case'],
  ])('fails on a bundle whose %s component %s is renamed %s', (section, name, badName, rule) => {
    const dir = mkdtempSync(join(tmpdir(), 'lint-broken-'));
    copies.push(dir);
    const text = readFileSync(join(root, 'generated/openapi.json'), 'utf8');
    const renamed = text.replaceAll(`"#/components/${section}/${name}"`, `"#/components/${section}/${badName}"`).replace(`"${name}": {`, `"${badName}": {`);
    expect(renamed).not.toContain(`#/components/${section}/${name}"`);
    writeFileSync(join(dir, 'openapi.json'), renamed);
    cpSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));

    const { status, output } = node([bin.redocly, 'lint', 'openapi.json'], { cwd: dir });
    expect(output).toContain(rule);
    expect(status).not.toBe(0);
  });
});
