/**
 * PUT bodies for the bad-input campaign, one fast-check arbitrary per kind. Each kind knows,
 * by construction, whether its bodies are valid: the two validators under test are never
 * asked what the right answer is.
 */
import fc from 'fast-check';

/** A body to PUT: a value the client could be handed (sent as its JSON), or raw text. */
export type UpdateBody = { value: unknown } | { text: string };

export interface BodyKind {
  name: string;
  valid: boolean;
  /** How many bodies of this kind the campaign sends. */
  runs: number;
  bodies: fc.Arbitrary<UpdateBody>;
}

const FIELDS = [
  'audit_address',
  'audit_port',
  'audit_protocol',
  'audit_reconnect_interval',
  'audit_reconnect_max_attempts',
  'audit_queue_max_bytes',
] as const;
type Field = (typeof FIELDS)[number];
const COUNT_FIELDS = ['audit_reconnect_interval', 'audit_reconnect_max_attempts', 'audit_queue_max_bytes'] as const;
const PROTOCOLS = ['TCP', 'local'];

type Update = Partial<Record<Field, unknown>>;

// Printable ASCII, any grapheme, and any UTF-16 code units (lone surrogates included).
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));
const port = fc.integer({ min: 1, max: 65535 });
const count = fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constant(0));
const address = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain(), fc.constant('/var/opt/redislabs/run/db-audit.sock'), anyString);
const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true });
const smallJson = fc.jsonValue({ maxDepth: 2 });

/** 10,000 to 100,000 characters, made cheaply by repeating a short string. */
const longString = fc
  .tuple(fc.string({ minLength: 1, maxLength: 16 }), fc.integer({ min: 10_000, max: 100_000 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)));

/** Sets a field as an own property, even one named `__proto__`. */
function withField(update: object, name: string, value: unknown): Update {
  const copy = { ...update };
  Object.defineProperty(copy, name, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Any subset of the fields, each valid, and never a port with the `local` protocol. */
const validUpdate: fc.Arbitrary<Update> = fc
  .record(
    {
      audit_address: address,
      audit_port: port,
      audit_protocol: fc.constantFrom(...PROTOCOLS),
      audit_reconnect_interval: count,
      audit_reconnect_max_attempts: count,
      audit_queue_max_bytes: count,
    },
    { requiredKeys: [] },
  )
  .map(({ audit_port, ...rest }) => (rest.audit_protocol === 'local' || audit_port === undefined ? rest : { ...rest, audit_port }));

/** A valid update whose protocol leaves room for a port (TCP, or not sent). */
const updateWithoutLocal = validUpdate.map(({ audit_protocol, ...rest }) =>
  audit_protocol === 'local' ? rest : { ...rest, ...(audit_protocol !== undefined && { audit_protocol }) },
);

const notAnInteger = fc.oneof(
  anyString,
  fc.integer().map(String), // digits in a string: valid JSON, wrong type
  fc.boolean(),
  fc.constant(null),
  fc.array(smallJson, { maxLength: 3 }),
  fc.dictionary(fc.string(), smallJson, { maxKeys: 3 }),
  finiteDouble.filter((number) => !Number.isInteger(number)),
);
const notAString = fc.oneof(
  fc.integer(),
  finiteDouble,
  fc.boolean(),
  fc.constant(null),
  fc.array(smallJson, { maxLength: 3 }),
  fc.dictionary(fc.string(), smallJson, { maxKeys: 3 }),
);
const wrongTypeFor = (field: Field) => (field === 'audit_address' || field === 'audit_protocol' ? notAString : notAnInteger);

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** A value nested `depth` levels deep in arrays and objects, alternately. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 ? { deeper: value } : [value];
  return value;
}

const asValue = (value: unknown): UpdateBody => ({ value });

export const BODY_KINDS: BodyKind[] = [
  {
    name: 'valid partial configuration',
    valid: true,
    runs: 220,
    bodies: validUpdate.map(asValue),
  },
  {
    name: 'valid, very long audit_address',
    valid: true,
    runs: 40,
    bodies: fc.tuple(updateWithoutLocal, longString).map(([update, text]) => asValue({ ...update, audit_address: text })),
  },
  {
    name: 'wrong type',
    valid: false,
    runs: 120,
    bodies: fc.oneof(
      ...FIELDS.map((field) => fc.tuple(validUpdate, wrongTypeFor(field)).map(([update, value]) => asValue({ ...update, [field]: value }))),
    ),
  },
  {
    name: 'port out of range',
    valid: false,
    runs: 80,
    bodies: fc
      .tuple(
        updateWithoutLocal,
        fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 65_536 }), fc.constantFrom(0, -1, 65_536, Number.MAX_SAFE_INTEGER, 1e21, -1e21)),
      )
      .map(([update, audit_port]) => asValue({ ...update, audit_port })),
  },
  {
    name: 'non-integer port',
    valid: false,
    runs: 80,
    bodies: fc
      .tuple(
        updateWithoutLocal,
        fc.oneof(
          fc.double({ min: 0, max: 70_000, noNaN: true }).filter((n) => !Number.isInteger(n)),
          fc.constantFrom(1.5, 12345.000001, 65534.5),
        ),
      )
      .map(([update, audit_port]) => asValue({ ...update, audit_port })),
  },
  {
    name: 'unknown protocol or case variant',
    valid: false,
    runs: 100,
    bodies: fc
      .tuple(
        updateWithoutLocal,
        fc.oneof(
          fc.mixedCase(fc.constantFrom('tcp', 'local')),
          fc.constantFrom('tcp', 'Tcp', 'LOCAL', 'Local', 'udp', 'unix', 'tls', 'TCP/IP', ' TCP', 'TCP ', 'local\n', ''),
          anyString,
        ),
      )
      .filter(([, protocol]) => !PROTOCOLS.includes(protocol))
      .map(([update, audit_protocol]) => asValue({ ...update, audit_protocol })),
  },
  {
    name: 'unknown field',
    valid: false,
    runs: 100,
    bodies: fc
      .tuple(
        validUpdate,
        fc.oneof(
          fc.constantFrom(
            'audit_format',
            'Audit_Port',
            'AUDIT_PROTOCOL',
            'audit_port ',
            'auditPort',
            'enabled',
            '__proto__',
            'constructor',
            'toString',
            '',
          ),
          anyString, // any name at all: the mock escapes what a header cannot carry
        ),
        fc.jsonValue(),
      )
      .filter(([, name]) => !(FIELDS as readonly string[]).includes(name))
      .map(([update, name, value]) => asValue(withField(update, name, value))),
  },
  {
    name: 'negative count',
    valid: false,
    runs: 80,
    bodies: fc
      .tuple(
        validUpdate,
        fc.constantFrom(...COUNT_FIELDS),
        fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -1 }), fc.constant(-1)),
      )
      .map(([update, field, value]) => asValue({ ...update, [field]: value })),
  },
  {
    name: 'local with a port',
    valid: false,
    runs: 80,
    bodies: fc.tuple(updateWithoutLocal, port).map(([update, audit_port]) => asValue({ ...update, audit_protocol: 'local', audit_port })),
  },
  {
    name: 'not an object',
    valid: false,
    runs: 100,
    bodies: fc
      .oneof(
        fc.array(fc.oneof(validUpdate, smallJson), { maxLength: 4 }),
        fc.constant(null),
        fc.integer(),
        finiteDouble,
        anyString,
        fc.boolean(),
      )
      .map(asValue),
  },
  {
    name: 'deep nesting',
    valid: false,
    runs: 60,
    bodies: fc
      .tuple(validUpdate, fc.integer({ min: 20, max: 2_000 }), fc.constantFrom('the body itself', 'a known field', 'an unknown field'))
      .map(([update, depth, where]) => {
        // The outermost level is an array, or an object whose only field is the unknown `deeper`.
        if (where === 'the body itself') return asValue(nested(depth, update));
        if (where === 'a known field') return asValue({ ...update, audit_address: nested(depth, 'x') });
        return asValue({ ...update, nested: nested(depth, 1) });
      }),
  },
  {
    name: 'very long string where none fits',
    valid: false,
    runs: 40,
    bodies: fc.tuple(updateWithoutLocal, longString, fc.constantFrom('protocol', 'port', 'field name')).map(([update, text, where]) => {
      if (where === 'protocol') return asValue({ ...update, audit_protocol: text });
      if (where === 'port') return asValue({ ...update, audit_port: text });
      return asValue(withField(update, `${text}_`, 1));
    }),
  },
  {
    name: 'non-JSON text',
    valid: false,
    runs: 100,
    bodies: fc
      .oneof(
        fc.constantFrom(
          '',
          ' ',
          '{',
          '{audit_port: 1}',
          "{'audit_port': 1}",
          '{"audit_port": 1,}',
          '{"audit_port": 01}',
          '{"audit_port": NaN}',
          '{"audit_port": 1}}',
          'audit_port=1',
          '<config/>',
          'undefined',
          'True',
        ),
        validUpdate.chain((update) => {
          const text = JSON.stringify(update);
          return fc.integer({ min: 1, max: text.length - 1 }).map((length) => text.slice(0, length)); // cut short
        }),
        anyString,
      )
      .filter((text) => !isJson(text))
      .map((text) => ({ text })),
  },
];
