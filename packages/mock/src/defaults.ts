/**
 * The mock's defaults, in one table: the bin, `verify`, the library and the project's harnesses
 * all read them from here, so that no two places can disagree about where the mock listens or
 * who gets in.
 */
export const DEFAULTS = {
  /** The port the bin and verify listen on; the library picks a free one (0) unless told. */
  port: 4010,
  /** Loopback only, unless told otherwise: a mock must not be reachable from elsewhere. */
  host: '127.0.0.1',
  /** The mock's one user, documented in the README. */
  user: { name: 'admin@example.com', password: 'secret', token: 'mock-token' },
} as const;
