/**
 * The bench's rows, the targets they are held to, the table printed to stdout and the JSON
 * report written to build/bench/report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';

export type Unit = '×' | 'µs' | 'ms' | 'B' | 'req/s';

export interface Target {
  comparison: '<=' | '<' | '>=';
  value: number;
  unit: Unit;
}

export interface Row {
  id: string;
  what: string;
  value: number;
  unit: Unit;
  /** What the figure is measured against, in the same run. */
  baseline?: { what: string; value: number; unit: Unit };
  target?: Target;
  /** Whether the target is met; null when targets are not enforced (smoke mode) or there is none. */
  met: boolean | null;
  /** The medians behind the figure, in words. */
  detail?: string;
  /** Raw figures: per-round values, counts. */
  data?: Record<string, unknown>;
}

export interface Report {
  mode: 'full' | 'smoke';
  startedAt: string;
  durationMs: number;
  machine: { cores: number; cpu: string; node: string; platform: string };
  rows: Row[];
  /** Every process the bench started, and the port it served on; all are stopped before it exits. */
  processes: { what: string; pid: number; port?: number }[];
}

export function meets(value: number, target: Target): boolean {
  if (target.comparison === '<=') return value <= target.value;
  if (target.comparison === '<') return value < target.value;
  return value >= target.value;
}

export function machine(): Report['machine'] {
  const platform = `${process.platform}-${process.arch}`;
  return { cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform };
}

export function format(value: number, unit: Unit): string {
  if (unit === '×') return `${value.toFixed(3)}×`;
  if (unit === 'µs') return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

export function table(report: Report): string {
  const header = ['what', 'figure', 'baseline (same run)', 'target', 'met'];
  const lines = report.rows.map((row) => [
    row.what,
    format(row.value, row.unit),
    row.baseline ? `${row.baseline.what}: ${format(row.baseline.value, row.baseline.unit)}` : '—',
    row.target ? `${row.target.comparison} ${format(row.target.value, row.target.unit)}` : '—',
    row.met === null ? (row.target ? 'not enforced' : '—') : row.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...lines.map(render)].join('\n');
}

export function writeReport(file: string, report: Report): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
