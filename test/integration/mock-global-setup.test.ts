/**
 * The README's vitest globalSetup (docs/examples/vitest-global-setup.ts), run as vitest runs it:
 * it provides the URL of a mock that answers as the contract says, and its teardown frees the port.
 */
import { describe, expect, it } from 'vitest';
import type { TestProject } from 'vitest/node';
import setup from '../../docs/examples/vitest-global-setup.ts';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { MOCK_AUTH, listening } from '../support/mock.ts';
import { PATH } from '../support/facts.ts';

describe("the README's vitest globalSetup", () => {
  it('provides the URL of a running mock, and its teardown stops it', async () => {
    const provided: Record<string, unknown> = {};
    const teardown = await setup({ provide: (key: string, value: unknown) => (provided[key] = value) } as unknown as TestProject);
    const url = provided.mockUrl as string;
    expect((await (await fetch(`${url}${PATH}`, { headers: { authorization: MOCK_AUTH } })).json()) as unknown).toStrictEqual(PAGE_EXAMPLE);
    await teardown();
    expect(await listening(Number(new URL(url).port))).toBe(false);
  });
});
