/**
 * What the record tests know about the audit records, read from the generated AsyncAPI bundle and
 * JSON Schema rather than written again: the examples a cluster would send, and the schema.
 */
import { messageExamples } from '../../tools/asyncapi.ts';
import { readGenerated, type Json } from './facts.ts';

export const asyncapi = readGenerated('asyncapi.json');
export const recordsSchema = readGenerated('audit-records.schema.json');

/** Every example of every message of the AsyncAPI document, in the document's order. */
export const EXAMPLES = messageExamples(asyncapi);
export const EXAMPLE_PAYLOADS: Json[] = EXAMPLES.map((example) => example.payload);

/** The examples as a sender writes them: each record followed by a newline (this contract's decision). */
export const EXAMPLE_STREAM = EXAMPLE_PAYLOADS.map((payload) => `${JSON.stringify(payload)}\n`).join('');
