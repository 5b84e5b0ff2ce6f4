/**
 * `npm run lint`, for real. Biome: the code is formatted and lint-clean. Redocly: the spec, its
 * bundle and its 3.0 rendering are clean, and each of this contract's own rules fails on a copy
 * of the spec broken on purpose. Each tool's JSON report is read, not its wording.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bin, root, toolEnv } from '../../tools/project.ts';

interface LintReport {
  problems: { ruleId: string; severity: string; message: string }[];
}

/** `redocly lint --format=json` in `cwd`: its exit code and one report per API of its redocly.yaml, in order. */
async function lint(cwd: string): Promise<{ exitCode: number | undefined; reports: LintReport[]; output: string }> {
  const lintArgs = [bin.redocly, 'lint', '--format=json'];
  const { exitCode, stdout, all } = await execa(process.execPath, lintArgs, { cwd, env: toolEnv, reject: false, all: true });
  // The CLI prints the reports one after another: `}` closing one and `{` opening the next.
  const reports = stdout.split(/(?<=^\})(?=\{)/m).map((text) => JSON.parse(text) as LintReport);
  return { exitCode, reports, output: all ?? '' };
}

describe('biome check', () => {
  it('finds the code formatted and breaking none of its lint rules', async () => {
    const { exitCode, stdout } = await execa(process.execPath, [bin.biome, 'check', '--reporter=json', '.'], { cwd: root, reject: false });
    const { diagnostics } = JSON.parse(stdout) as { diagnostics: { category: string; location: { path: unknown } }[] };
    expect(diagnostics.map(({ category, location }) => `${JSON.stringify(location.path)}: ${category}`)).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('fails on code that is not formatted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'biome-'));
    try {
      cpSync(join(root, 'biome.jsonc'), join(dir, 'biome.jsonc'));
      writeFileSync(join(dir, 'unformatted.ts'), 'export const  a = {b:1}\n');
      const { exitCode } = await execa(process.execPath, [bin.biome, 'check', '--vcs-enabled=false', '.'], { cwd: dir, reject: false });
      expect(exitCode).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('redocly lint', () => {
  it('passes on the spec, its bundle and its 3.0 rendering with no error and no warning', async () => {
    const { exitCode, reports, output } = await lint(root);
    const apis = Object.keys(parse(readFileSync(join(root, 'redocly.yaml'), 'utf8')).apis);
    expect(reports).toHaveLength(apis.length);
    for (const report of reports) expect(report.problems, output).toEqual([]);
    expect(exitCode).toBe(0);
  });
});

/**
 * Each contract rule must fail on a spec broken on purpose. The breakages go into one copy of
 * openapi/ and the renames into one copy of the bundle, linted in one run: the clean spec above
 * has no problem at all, so every rule named in a broken copy's report fired on a breakage.
 */
describe('redocly lint on a spec broken on purpose', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lint-broken-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Changes one file of a copy of openapi/; the change must apply. */
  const edit = (file: string, change: (text: string) => string) => (spec: string) => {
    const path = join(spec, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, `the change to ${file} must apply`).not.toBe(before);
    writeFileSync(path, after);
  };
  const PATH_FILE = 'paths/v1_cluster_auditing_db_conns.yaml';

  const breakages = [
    [
      'a property without a description',
      'rule/schema-property-description',
      edit('components/schemas/AuditReconnectInterval.yaml', (t) => t.replace(/description:.*\n/, '')),
    ],
    [
      'an operation without a 401',
      'rule/operation-401-response',
      edit(PATH_FILE, (t) => t.replace("    '401':\n      $ref: ../components/responses/Unauthorized.yaml\n", '')),
    ],
    [
      'an operation without security',
      'rule/operation-security-defined',
      // GET's whole security section: every alternative way in goes with it.
      edit(PATH_FILE, (t) => t.replace(/ {2}security:\n(?: {4}- \w+:\n {8}- view_cluster_info\n)+/, '')),
    ],
    [
      'an inline response body schema',
      'rule/body-schema-is-named',
      edit('components/responses/ConfigNotFound.yaml', (t) =>
        t.replace('$ref: ../schemas/ConfigNotFoundError.yaml', 'type: object\n      properties: {}'),
      ),
    ],
    [
      'an example that breaks its schema',
      'no-invalid-media-type-examples',
      edit('components/examples/TcpConfig.yaml', (t) => t.replace('audit_port: 12345', "audit_port: '12345'")),
    ],
    [
      'an unused component',
      'no-unused-components',
      edit('openapi.yaml', (t) =>
        t.replace(
          'components:\n  schemas:\n',
          'components:\n  schemas:\n    Unused:\n      type: string\n      description: Nothing refers to this.\n',
        ),
      ),
    ],
  ] as const;

  // Component names exist only once the spec is bundled (the source refers to files), so the
  // naming rules guard the bundled outputs: here, a bundle with components renamed.
  const renames = [
    ['schemas', 'ApiError', 'api_error', 'rule/schema-names-pascal-case'],
    ['responses', 'Unauthorized', 'unauthorized', 'rule/response-names-pascal-case'],
    ['examples', 'TcpConfig', 'tcp-config', 'rule/example-names-pascal-case'],
  ] as const;

  /** One lint run over both broken copies: the report of the source, then the bundle's. */
  let ran: Awaited<ReturnType<typeof lint>>;
  const rulesBroken = (report: LintReport | undefined) =>
    (report?.problems ?? []).filter((problem) => problem.severity === 'error').map((problem) => problem.ruleId);
  beforeAll(async () => {
    cpSync(join(root, 'openapi'), join(dir, 'openapi'), { recursive: true });
    // The spec refers to the record schemas the AsyncAPI document shares with it.
    cpSync(join(root, 'asyncapi'), join(dir, 'asyncapi'), { recursive: true });
    for (const [, , breakSpec] of breakages) breakSpec(join(dir, 'openapi'));
    let text = readFileSync(join(root, 'generated/openapi.json'), 'utf8');
    for (const [section, name, badName] of renames) {
      text = text
        .replaceAll(`"#/components/${section}/${name}"`, `"#/components/${section}/${badName}"`)
        .replace(`"${name}": {`, `"${badName}": {`);
      expect(text).not.toContain(`#/components/${section}/${name}"`);
    }
    writeFileSync(join(dir, 'openapi.json'), text);
    // The project's rules, applied to the two broken copies instead of the project's own files.
    const apis = '\napis:\n  source:\n    root: openapi/openapi.yaml\n  bundle:\n    root: openapi.json\n';
    const rules = readFileSync(join(root, 'redocly.yaml'), 'utf8').replace(/\napis:\n[\s\S]*?\n(?=\n)/, apis);
    expect(rules).toContain('root: openapi.json');
    writeFileSync(join(dir, 'redocly.yaml'), rules);
    ran = await lint(dir);
  });

  it('lints both copies and exits with an error', () => {
    expect(ran.reports, ran.output).toHaveLength(2);
    expect(ran.exitCode).not.toBe(0);
  });

  it.each(breakages.map(([name, rule]) => [name, rule]))('fails on %s (%s)', (_name, rule) => {
    expect(rulesBroken(ran.reports[0])).toContain(rule);
  });

  it.each(renames)('fails on a bundle whose %s component %s is renamed %s (%s)', (_section, _name, _badName, rule) => {
    expect(rulesBroken(ran.reports[1])).toContain(rule);
  });
});
