/**
 * What every step of the bench is given: the plan, where to say what it is doing, the servers it
 * may load, and the machine's own speed in this run. A step returns its rows; the bench adds them
 * to the table in the order of its steps.
 */
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import type { Servers } from './servers.ts';

export interface Bench {
  plan: Plan;
  progress: (message: string) => void;
  servers: Servers;
  /** How long `node -e 0` takes in this run: the baseline of everything that starts a process. */
  nodeStartupMs: () => number;
}

/** A row as a step measures it; whether its target is met is the bench's to say. */
export type Measured = Omit<Row, 'met'>;

export type Step = (bench: Bench) => Promise<Measured[]>;
