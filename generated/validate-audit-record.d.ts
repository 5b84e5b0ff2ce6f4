// Generated from the spec by scripts/build.ts: do not edit.
import type { AuditRecord } from './audit-records.js';
/** True when the value is one of the record types of the records' JSON Schema. */
export declare const validate: (data: unknown) => data is AuditRecord;
export default validate;
