// Types of prism-violations.cjs, for the TypeScript that imports it.
export interface Violation {
  /** `request` or `response`, then the part that is wrong: `response.body.audit_port`. */
  where: string;
  /** What is wrong, in Prism's words. */
  what: string;
  severity: 'error' | 'warning';
}

/** Prism's form of one violation, in its header and in problem+json bodies alike. */
export interface PrismViolation {
  location?: unknown[];
  severity?: string;
  code?: string | number;
  message?: string;
}

export declare function toViolation(item: PrismViolation, side: 'request' | 'response'): Violation;
export declare function violationsInHeader(header: string, side?: 'request' | 'response'): Violation[];
