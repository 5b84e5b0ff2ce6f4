/**
 * The mock's bearer tokens: the JSON Web Tokens `POST /v1/users/authorize` hands out, and who a
 * request's Authorization header says it is.
 *
 * The tokens are HS256, signed with a random 256-bit secret made when the mock is made (its
 * state keeps it, and a reset keeps it too: a cluster's tokens outlive a change of its
 * settings). A symmetric key is enough, since the mock is the only one that signs and the only
 * one that checks; it never leaves the process, so no other mock, nor a token made elsewhere,
 * gets in. `jose` does the signing and the checking, and is told to take HS256 alone: a token
 * with `alg: none`, or any other algorithm, is refused before its signature is even read.
 *
 * Signing and checking are asynchronous (WebCrypto), and Prism's mocker is not: the request
 * pipeline (core.ts) asks here first and hands the result to the mocker with its config.
 */
import { SignJWT, jwtVerify } from 'jose';
import { dereferenced, spec } from './prism.js';

/** The per-mock signing key, kept in the mock's state. */
export interface SigningKey {
  readonly secret: Uint8Array;
}

/** A new random key: each mock has its own, so no token from another one gets in. */
export const newSigningKey = (): SigningKey => ({ secret: crypto.getRandomValues(new Uint8Array(32)) });

/** The mock's one user. */
export interface User {
  name: string;
  password: string;
  /** A fixed bearer token that never expires (the `token` option, MOCK_TOKEN), beside the ones authorize signs. */
  token: string;
}

/**
 * Who a request says it is: the user with its password (`basic`), the user with a bearer token
 * (`bearer`: the fixed one, or one the mock signed and that has not expired), or nobody.
 */
export type Caller = 'basic' | 'bearer' | undefined;

/** What the pipeline found out for the mocker, passed in Prism's mock config. */
export interface Identity {
  caller?: Caller;
  /** For `POST /v1/users/authorize`: the token to answer, signed for the `ttl` asked (or the default). */
  issued?: string;
}

/** The path that hands out tokens: the spec's `authorize` operation. */
export const AUTHORIZE_PATH = Object.keys(spec.paths).find((path) => spec.paths[path]!.post?.operationId === 'authorize')!;

const ALGORITHM = 'HS256';
/** Who signs the tokens (their `iss`), checked with them. */
const ISSUER = 'redis-software-auditing-db-conns-mock';

/** `ttl` of the authorize request as the spec has it: its default and its bounds. */
const ttlSchema = (): { default: number; minimum: number; maximum: number } => {
  const schema = dereferenced.components.schemas?.AuthorizeRequest?.properties?.ttl as Record<string, number>;
  return { default: schema.default!, minimum: schema.minimum!, maximum: schema.maximum! };
};

/**
 * A token for the user, living `ttl` seconds: the spec's default when the body gives none, or
 * one out of the spec's bounds (Prism refuses that request, and this token is never sent).
 */
export async function issue(key: SigningKey, user: User, ttl: unknown): Promise<string> {
  const bounds = ttlSchema();
  const seconds = typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= bounds.minimum && ttl <= bounds.maximum ? ttl : bounds.default;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(user.name)
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(key.secret);
}

/** Whether a token is one this mock signed, for this user, and not yet expired. */
async function signedByMock(key: SigningKey, user: User, token: string): Promise<boolean> {
  try {
    await jwtVerify(token, key.secret, { algorithms: [ALGORITHM], issuer: ISSUER, subject: user.name, requiredClaims: ['exp'] });
    return true;
  } catch {
    // Expired, signed by someone else, `alg: none`, not a JWT at all: the reason is not told,
    // and the token is in no message of the mock's.
    return false;
  }
}

/** Who the Authorization header says the caller is (see `Caller`). */
export async function callerOf(authorization: unknown, user: User, key: SigningKey): Promise<Caller> {
  if (typeof authorization !== 'string') return undefined;
  const [scheme = '', credentials = ''] = authorization.trim().split(/\s+/, 2);
  // RFC 7617: base64 of "name:password" in UTF-8; the name holds no colon, the password may.
  if (scheme.toLowerCase() === 'basic')
    return Buffer.from(credentials, 'base64').toString('utf8') === `${user.name}:${user.password}` ? 'basic' : undefined;
  if (scheme.toLowerCase() !== 'bearer' || credentials === '') return undefined;
  if (credentials === user.token) return 'bearer';
  return (await signedByMock(key, user, credentials)) ? 'bearer' : undefined;
}
