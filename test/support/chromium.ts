/**
 * Where the browser is and how to start it, for tests that drive a real Chromium through
 * playwright-core. The browser comes from the system (`apt-get install -y chromium` on
 * Debian), never from `playwright install`, which would download one.
 */
import type { LaunchOptions } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    // Tests run as root in a container, where Chromium's sandbox cannot start.
    '--no-sandbox',
    '--disable-gpu',
    // The machine may have no internet: no background fetches, updates or sync, so the only
    // requests the browser makes are the page's own.
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
