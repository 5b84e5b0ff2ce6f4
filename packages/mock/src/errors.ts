/** The mock's errors: one base class, so that a caller can tell the mock's refusals from anything else. */
export class MockError extends Error {
  override name = 'MockError';
}

/** A request to the admin API (or the handle's methods) that it refused: `body.description` names the field and the rule. */
export class MockAdminError extends MockError {
  override name = 'MockAdminError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(
      `the mock refused it (${status}): ${(body as { description?: string; detail?: string } | null)?.description ?? JSON.stringify(body)}`,
    );
  }
}

/** The port asked for is taken: the mock and verify give this one answer. */
export class PortInUseError extends MockError {
  override name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}
