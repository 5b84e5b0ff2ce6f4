/** Both packages, packed and installed once for the run by test/setup/packed.ts: waits until they are. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { inject } from 'vitest';
import type { Installed } from '../../tools/install-packed.ts';

export async function packed(timeoutMs = 180_000): Promise<Installed> {
  const dir = inject('packedDir');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await delay(100)) {
    if (existsSync(join(dir, 'installed.json'))) return JSON.parse(readFileSync(join(dir, 'installed.json'), 'utf8'));
    if (existsSync(join(dir, 'failed.txt')))
      throw new Error(`packing or installing failed:\n${readFileSync(join(dir, 'failed.txt'), 'utf8')}`);
  }
  throw new Error(`the packages were not installed within ${timeoutMs / 1000} s`);
}
