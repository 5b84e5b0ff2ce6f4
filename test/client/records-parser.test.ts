/**
 * parseAuditRecords(), property-based: whatever the chunks a stream arrives in, whichever the
 * separator between records (a newline, none, any JSON whitespace), and whatever the source (async
 * iterable of bytes or strings, a web ReadableStream, a Node stream), it yields the same records;
 * on bytes that are not a record it yields every record before them, then throws with the exact
 * byte offset. Memory stays bounded: a record over the limit is an error, not a buffer.
 */
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditingError, isAuditingError } from '../../src/index.ts';
import { AuditRecordParseError, type AuditRecordSource, isAuditRecordParseError, parseAuditRecords } from '../../src/records.ts';
import { EXAMPLE_PAYLOADS, EXAMPLE_STREAM } from '../support/records.ts';

/** Fixed, so that a failure is reproducible. */
const SEED = 20_261_201;
const RUNS = { seed: SEED, numRuns: 200 };
const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);

/** Records of every type: the AsyncAPI examples with any Unicode text (multi-byte characters) in a string field. */
const record = fc.tuple(fc.constantFrom(...EXAMPLE_PAYLOADS), fc.string({ unit: 'binary', maxLength: 12 })).map(([payload, text]) => {
  const copy = structuredClone(payload);
  if (copy.new_conn) copy.new_conn.bdb_name = text;
  else if (copy.close_conn) copy.close_conn.hname = text;
  else copy.bdb_name = text;
  return copy;
});
const separator = fc.constantFrom('\n', '', ' ', '\r\n', '\t \n\n');
const records = fc.array(record, { maxLength: 8 });

/** The stream a sender writes: each record, then a separator (maybe none). */
const streamOf = (values: unknown[], separators: string[]) =>
  values.map((value, i) => JSON.stringify(value) + separators[i % separators.length]).join('');

/** Cuts bytes at the given points (any points, through multi-byte characters too). */
function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of [...at, bytes.length]) {
    chunks.push(bytes.slice(from, point));
    from = point;
  }
  return chunks;
}

async function* iterate<T>(chunks: T[]): AsyncGenerator<T> {
  yield* chunks;
}

const sources: Record<string, (chunks: Uint8Array[]) => AuditRecordSource> = {
  'an async iterable of Uint8Array': (chunks) => iterate(chunks),
  'a web ReadableStream': (chunks) =>
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
  'a Node Readable of Buffers': (chunks) => Readable.from(chunks.map((chunk) => Buffer.from(chunk))),
  // Some browsers' web streams are not async iterable: only their reader is there.
  'a web ReadableStream read through its reader': (chunks) => {
    const stream = sources['a web ReadableStream']!(chunks) as ReadableStream<Uint8Array>;
    return { getReader: () => stream.getReader() } as ReadableStream<Uint8Array>;
  },
};

/** Every record parsed, and the error the parse ended with (undefined when it ended well). */
async function parseAll(source: AuditRecordSource, options?: Parameters<typeof parseAuditRecords>[1]) {
  const parsed: unknown[] = [];
  try {
    for await (const value of parseAuditRecords(source, options)) parsed.push(value);
    return { parsed, error: undefined };
  } catch (error) {
    return { parsed, error: error as AuditRecordParseError };
  }
}

describe('parseAuditRecords', () => {
  for (const [kind, toSource] of Object.entries(sources)) {
    it(`yields the same records from ${kind}, however the bytes are split and separated`, async () => {
      await fc.assert(
        fc.asyncProperty(
          records,
          fc.array(separator, { minLength: 1 }),
          fc.array(fc.nat(), { maxLength: 10 }),
          async (values, seps, points) => {
            const { parsed, error } = await parseAll(toSource(cut(bytesOf(streamOf(values, seps)), points)));
            expect(error).toBeUndefined();
            expect(parsed).toEqual(values);
          },
        ),
        RUNS,
      );
    });
  }

  it('yields the same records from an async iterable of strings, split anywhere between characters', async () => {
    await fc.assert(
      fc.asyncProperty(records, separator, fc.array(fc.nat(), { maxLength: 10 }), async (values, sep, points) => {
        const characters = [...streamOf(values, [sep])];
        const at = [...new Set(points.map((point) => point % (characters.length + 1)))].sort((a, b) => a - b);
        const chunks = [...at, characters.length].map((point, i, all) => characters.slice(i ? all[i - 1] : 0, point).join(''));
        const { parsed, error } = await parseAll(iterate(chunks));
        expect(error).toBeUndefined();
        expect(parsed).toEqual(values);
      }),
      RUNS,
    );
  });

  it('keeps its own copy of a partial record when the source reuses its Buffer for the next chunk', async () => {
    const bytes = Buffer.from(EXAMPLE_STREAM);
    const size = 16;
    async function* reusing() {
      const buffer = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const length = bytes.copy(buffer, 0, at, at + size);
        yield buffer.subarray(0, length);
      }
    }
    const { parsed, error } = await parseAll(reusing());
    expect(error).toBeUndefined();
    expect(parsed).toEqual(EXAMPLE_PAYLOADS);
  });

  it('yields every record before bytes that are not JSON, then throws with their exact byte offset', async () => {
    // Garbage that cannot start a record: its first byte is neither whitespace nor `{`.
    const garbage = fc.uint8Array({ minLength: 1, maxLength: 20 }).filter((bytes) => ![0x20, 0x09, 0x0a, 0x0d, 0x7b].includes(bytes[0]!));
    await fc.assert(
      fc.asyncProperty(records, separator, garbage, fc.array(fc.nat(), { maxLength: 6 }), async (values, sep, bad, points) => {
        const good = bytesOf(streamOf(values, [sep]));
        const stream = new Uint8Array([...good, ...bad]);
        const { parsed, error } = await parseAll(iterate(cut(stream, points)));
        expect(parsed).toEqual(values);
        expect(error).toBeInstanceOf(AuditRecordParseError);
        expect(error!.reason).toBe('not-json');
        expect(error!.offset).toBe(good.length);
        expect(error!.message).toContain(`(at byte ${good.length})`);
      }),
      RUNS,
    );
  });

  it.each([
    ['a missing colon', '{"ts" 1}', 6],
    ['a misspelt literal', '{"ts":tru}', 9],
    ['a bracket closing a brace', '{"keys":["a"}', 12],
    ['a trailing comma', '{"ts":1,}', 8],
    ['a control character in a string', '{"username":"a\tb"}', 14],
    ['a bad escape', '{"username":"a\\qb"}', 15],
    ['a bad number', '{"ts":01}', 7],
  ])('points at the first wrong byte inside a record: %s', async (_name, bad, at) => {
    const prefix = `${JSON.stringify(EXAMPLE_PAYLOADS[0])}\n`;
    const { parsed, error } = await parseAll(iterate([prefix + bad]));
    expect(parsed).toEqual([EXAMPLE_PAYLOADS[0]]);
    expect(error?.reason).toBe('not-json');
    expect(error?.offset).toBe(bytesOf(prefix).length + at);
  });

  it('counts offsets in bytes, after multi-byte characters, and points at invalid UTF-8', async () => {
    const prefix = '{"ts":1,"action":"auth","username":"Zoë 👋"}';
    expect(bytesOf(prefix).length).toBe(prefix.length + 3);
    const stream = new Uint8Array([...bytesOf(prefix), ...bytesOf('{"ts":1,"action":"auth","username":"'), 0xc3, 0x28, ...bytesOf('"}')]);
    const { parsed, error } = await parseAll(iterate(cut(stream, [3, 47, 50])));
    expect(parsed).toHaveLength(1);
    expect(error?.reason).toBe('not-utf-8');
    expect(error?.offset).toBe(bytesOf(prefix).length + 36);
  });

  it('throws with the offset where the stream ended inside a record', async () => {
    const stream = `${JSON.stringify(EXAMPLE_PAYLOADS[0])}\n{"ts":1,"action":"au`;
    const { parsed, error } = await parseAll(iterate([stream]));
    expect(parsed).toEqual([EXAMPLE_PAYLOADS[0]]);
    expect(error?.reason).toBe('truncated');
    expect(error?.offset).toBe(bytesOf(stream).length);
    expect(error?.message).toContain(`inside the record that starts at byte ${bytesOf(stream).length - 20}`);
  });

  it('refuses a record longer than the limit instead of buffering it, even from a stream that never ends', async () => {
    let sent = 0;
    async function* endless() {
      yield '{"ts":1,"action":"auth","username":"';
      for (;;) {
        sent += 1000;
        yield 'x'.repeat(1000);
      }
    }
    const { error } = await parseAll(endless(), { maxRecordBytes: 64 * 1024 });
    expect(error?.reason).toBe('too-large');
    expect(error?.offset).toBe(64 * 1024);
    expect(error?.message).toContain('longer than 65536 bytes');
    expect(sent).toBeLessThan(70_000);
  });

  it('keeps a record of exactly the limit, refuses one byte more, and defaults to 1 MiB', async () => {
    const sized = (length: number) => {
      const base = '{"ts":1,"action":"auth","username":""}';
      return `{"ts":1,"action":"auth","username":"${'x'.repeat(length - base.length)}"}`;
    };
    expect((await parseAll(iterate([sized(100)]), { maxRecordBytes: 100 })).error).toBeUndefined();
    expect((await parseAll(iterate([sized(101)]), { maxRecordBytes: 100 })).error?.offset).toBe(100);
    expect((await parseAll(iterate([sized(1024 * 1024)]))).error).toBeUndefined();
    expect((await parseAll(iterate([sized(1024 * 1024 + 1)]))).error?.reason).toBe('too-large');
  });

  it('refuses a JSON object that is no known record type, or hands it to onUnknown and goes on', async () => {
    const unknown = { ts: 1, action: 'acl_change' };
    const stream = [EXAMPLE_PAYLOADS[0], unknown, EXAMPLE_PAYLOADS[1]].map((value) => JSON.stringify(value)).join('\n');
    const refused = await parseAll(iterate([stream]));
    expect(refused.parsed).toEqual([EXAMPLE_PAYLOADS[0]]);
    expect(refused.error?.reason).toBe('unknown-record');
    const at = bytesOf(`${JSON.stringify(EXAMPLE_PAYLOADS[0])}\n`).length;
    expect(refused.error?.offset).toBe(at);
    expect(refused.error?.value).toEqual(unknown);

    const seen: [unknown, number][] = [];
    const tolerant = await parseAll(iterate([stream]), { onUnknown: (value, offset) => seen.push([value, offset]) });
    expect(tolerant.error).toBeUndefined();
    expect(tolerant.parsed).toEqual([EXAMPLE_PAYLOADS[0], EXAMPLE_PAYLOADS[1]]);
    expect(seen).toEqual([[unknown, at]]);
  });

  it("throws an AuditingError that the package's guards know", async () => {
    const { error } = await parseAll(iterate(['nope']));
    expect(error).toBeInstanceOf(AuditingError);
    expect(isAuditingError(error)).toBe(true);
    expect(isAuditRecordParseError(error)).toBe(true);
    expect(isAuditRecordParseError(new Error('x'))).toBe(false);
    expect(error?.message).toBe('audit records: expected a record (a JSON object), found "n" (at byte 0)');
  });

  it('passes on the source’s own error, after the records it delivered', async () => {
    async function* failing() {
      yield EXAMPLE_STREAM;
      throw new Error('ECONNRESET');
    }
    const { parsed, error } = await parseAll(failing());
    expect(parsed).toEqual(EXAMPLE_PAYLOADS);
    expect(error?.message).toBe('ECONNRESET');
  });

  it('ends the source when the loop ends early', async () => {
    let ended = false;
    async function* source() {
      try {
        for (;;) yield EXAMPLE_STREAM;
      } finally {
        ended = true;
      }
    }
    for await (const value of parseAuditRecords(source())) {
      expect(value).toEqual(EXAMPLE_PAYLOADS[0]);
      break;
    }
    expect(ended).toBe(true);
  });
});
