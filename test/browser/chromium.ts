/**
 * Headless Chromium for the viewer's browser test and screenshot: Debian's
 * `chromium` package driven by playwright-core (never a downloaded browser).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium, or throws (never skips) when it is not installed.
 * chromium.launch gives each browser a fresh temporary user-data-dir and
 * deletes it on close, so no profile state carries over between runs.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing. Install Debian's chromium package with "bash test/browser/ensure-chromium.sh" (npm test runs it first).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
