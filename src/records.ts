/**
 * The audit records a cluster sends to its listener, read from the stream: `parseAuditRecords()`
 * and `isAuditRecord()`, at the subpath `redis-software-auditing-db-conns/records`, so that the
 * REST client's bundle carries none of it.
 *
 * The stream is JSON objects one after another, with or without whitespace between them: Redis
 * does not document a separator (this contract writes a newline after each record). The scanner
 * below is written here rather than taken from a library: the one maintained streaming parser that
 * reads concatenated JSON (@streamparser/json) weighs more gzipped than this whole client, and
 * reports grammar errors without their offset. Finding where an object ends needs only its strings,
 * their escapes and its brackets; JSON.parse then reads the object.
 */
import validate from '../generated/validate-audit-record.js';
import type { AuditRecord } from '../generated/audit-records.js';
import { AuditingError, isAuditingError } from './errors.js';

export type {
  AuditConnection,
  AuditRecord,
  AuthRecord,
  AuthStatus,
  CloseConnRecord,
  CommandRecord,
  CommandStatus,
  NewConnRecord,
  NewIntConnRecord,
} from '../generated/audit-records.js';

/** What `parseAuditRecords()` reads: a Node stream (a `net.Socket`), a web `ReadableStream`, or any async iterable. */
export type AuditRecordSource = AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array | string>;

export interface ParseAuditRecordsOptions {
  /** The largest record, in bytes, kept in memory while it arrives; a larger one is an error. Default 1 MiB. */
  maxRecordBytes?: number;
  /**
   * Called with a JSON object that is no record type this contract knows (a newer cluster's,
   * say) and its byte offset; the parser goes on. Without it, such an object is an error.
   */
  onUnknown?: (value: unknown, offset: number) => void;
}

/** Why the stream could not be read on: `not-json`, `not-utf-8`, `too-large`, `truncated` or `unknown-record`. */
export type AuditRecordParseReason = 'not-json' | 'not-utf-8' | 'too-large' | 'truncated' | 'unknown-record';

/** The stream holds something other than audit records; every record before it was yielded. */
export class AuditRecordParseError extends AuditingError {
  override readonly name = 'AuditRecordParseError';
  constructor(
    /** The offset, in bytes from the start of the stream, of the first byte that is wrong. */
    readonly offset: number,
    readonly reason: AuditRecordParseReason,
    message: string,
    /** The JSON object, for `unknown-record`. */
    readonly value?: unknown,
  ) {
    super(`audit records: ${message} (at byte ${offset})`);
  }
}

/** Narrows any caught value to a parse error of the records, across realms and package copies. */
export const isAuditRecordParseError = (error: unknown): error is AuditRecordParseError =>
  isAuditingError(error) && error.name === 'AuditRecordParseError';

/**
 * True when the value is a record of one of the record types of any Redis Software version from
 * 6.2.18 on (unknown fields are allowed), checked against the records' schema.
 */
export const isAuditRecord = (value: unknown): value is AuditRecord => validate(value);

const OPEN = [0x7b, 0x5b]; // { [
const CLOSE = [0x7d, 0x5d]; // } ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const WHITESPACE = [0x20, 0x09, 0x0a, 0x0d];

/**
 * Yields each record of the stream as it completes. A record may be split across chunks
 * anywhere, a multi-byte character included. Ending the loop early ends the source's iteration
 * too (a Node socket is destroyed). Throws `AuditRecordParseError` on bytes that are not a
 * record, after yielding every record before them, and rethrows the source's own errors.
 */
export async function* parseAuditRecords(source: AuditRecordSource, options: ParseAuditRecordsOptions = {}): AsyncGenerator<AuditRecord> {
  const limit = options.maxRecordBytes ?? 1024 * 1024;
  const encoder = new TextEncoder();
  /** The bytes of the record being read, from its `{`; `start` is that `{`'s offset in the stream. */
  let parts: Uint8Array[] = [];
  let kept = 0;
  let start = -1;
  /** The closing bracket of each array or object open at this point of the record, innermost last. */
  let closers: number[] = [];
  let inString = false;
  let escaped = false;
  /** The offset in the stream of the chunk's first byte. */
  let offset = 0;
  for await (const chunk of chunksOf(source)) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (start < 0) {
        if (WHITESPACE.includes(byte)) continue;
        if (byte !== OPEN[0]) throw notJson(offset + i, `expected a record (a JSON object), found ${shown(bytes, i)}`);
        start = offset + i;
        from = i;
      } else if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
        continue;
      }
      if (byte === QUOTE) inString = true;
      else if (OPEN.includes(byte)) closers.push(CLOSE[OPEN.indexOf(byte)]!);
      else if (CLOSE.includes(byte) && closers.pop() !== byte) {
        throw notJson(offset + i, `the record that starts at byte ${start} closes with ${shown(bytes, i)} what it did not open so`);
      } else if (CLOSE.includes(byte) && closers.length === 0) {
        if (offset + i - start >= limit) throw tooLarge(start, limit);
        parts.push(bytes.subarray(from, i + 1));
        const record = read(concat(parts), start, options);
        if (record !== undefined) yield record;
        parts = [];
        kept = 0;
        start = -1;
        closers = [];
      }
    }
    if (start >= 0) {
      const rest = bytes.subarray(from);
      if (kept + rest.length > limit) throw tooLarge(start, limit);
      // A copy (a Buffer's slice() would share its memory): the source may reuse its buffer for the next chunk.
      parts.push(new Uint8Array(rest));
      kept += rest.length;
    }
    offset += bytes.length;
  }
  if (start >= 0) {
    throw new AuditRecordParseError(offset, 'truncated', `the stream ended inside the record that starts at byte ${start}`);
  }
}

/** The record in `bytes` (one whole JSON object), `undefined` when `onUnknown` took it; throws with the offset of what is wrong. */
function read(bytes: Uint8Array, start: number, options: ParseAuditRecordsOptions): AuditRecord | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = start + firstInvalidUtf8(bytes);
    throw new AuditRecordParseError(at, 'not-utf-8', `the record that starts at byte ${start} is not valid UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = start + encodedLength(text.slice(0, firstJsonError(text)));
    throw notJson(at, `the record that starts at byte ${start} is not valid JSON`);
  }
  if (isAuditRecord(value)) return value;
  if (options.onUnknown) {
    options.onUnknown(value, start);
    return undefined;
  }
  const message = `the JSON object that starts at byte ${start} is not an audit record (new_conn, new_int_conn, close_conn, auth or command)`;
  throw new AuditRecordParseError(start, 'unknown-record', message, value);
}

const notJson = (at: number, message: string) => new AuditRecordParseError(at, 'not-json', message);

const tooLarge = (start: number, limit: number) =>
  new AuditRecordParseError(start + limit, 'too-large', `the record that starts at byte ${start} is longer than ${limit} bytes`);

function shown(bytes: Uint8Array, i: number): string {
  const byte = bytes[i]!;
  return byte >= 0x20 && byte < 0x7f ? JSON.stringify(String.fromCharCode(byte)) : `the byte 0x${byte.toString(16).padStart(2, '0')}`;
}

async function* chunksOf(source: AuditRecordSource): AsyncIterable<Uint8Array | string> {
  if (Symbol.asyncIterator in source) {
    yield* source;
    return;
  }
  // Web streams are async iterable in Node, Deno and Firefox, not in every browser.
  const reader = source.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

const encodedLength = (text: string) => new TextEncoder().encode(text).length;

/**
 * Where the first invalid UTF-8 sequence starts. A streaming decoder accepts every prefix that
 * ends before the first bad byte; the sequence that byte breaks starts at most 3 bytes before it,
 * at the end of the longest prefix that decodes as a whole.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decodes = (length: number, stream: boolean) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (decodes(middle, true)) low = middle;
    else high = middle - 1;
  }
  while (low > 0 && !decodes(low, false)) low--;
  return low;
}

/**
 * The index of the first character where the JSON grammar breaks, for the error's offset; only
 * called once JSON.parse has refused the text, whose messages give no position in every engine.
 */
function firstJsonError(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (' \t\n\r'.includes(text[i] ?? '.')) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : fail());
  const expectOneOf = (set: string) => (set.includes(text[i] ?? '.') ? i++ : fail());
  const digits = () => {
    if (!/[0-9]/.test(text[i] ?? '')) fail();
    while (/[0-9]/.test(text[i] ?? '')) i++;
  };
  const string = () => {
    expect('"');
    for (let c = text[i]; c !== '"'; c = text[i]) {
      if (c === undefined || c < ' ') fail();
      i++;
      if (c !== '\\') continue;
      if (text[i] !== 'u') {
        expectOneOf('"\\/bfnrt');
        continue;
      }
      i++;
      for (let k = 0; k < 4; k++) expectOneOf('0123456789abcdefABCDEF');
    }
    i++;
  };
  const sequence = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return i++;
    for (;;) {
      item();
      if (text[i] === ',') i++;
      else return expect(close);
    }
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      sequence('}', () => {
        space();
        string();
        space();
        expect(':');
        value();
      });
    } else if (c === '[') sequence(']', value);
    else if (c === '"') string();
    else if (c === 't' || c === 'f' || c === 'n') for (const letter of c === 't' ? 'true' : c === 'f' ? 'false' : 'null') expect(letter);
    else {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
    }
    space();
  };
  try {
    value();
    return i < text.length ? i : 0;
  } catch (at) {
    // Nesting deep enough to exhaust the stack: point at the record's first byte.
    return typeof at === 'number' ? at : 0;
  }
}
