/**
 * Regenerates examples/viewer-screenshot.png, the README's picture of the
 * session viewer: `npm run viewer:screenshot`. Offline: a dev server on
 * loopback, the sessions from viewer-sessions.ts, headless Chromium.
 */
import path from 'node:path';
import { startDevServer } from '../../src/dev-server/index';
import { launchChromium } from './chromium';
import { CONVERSATION_SESSION_NAME, recordViewerSessions } from './viewer-sessions';

const OUTPUT = path.resolve(__dirname, '..', '..', 'examples', 'viewer-screenshot.png');

async function main(): Promise<void> {
  const server = await startDevServer();
  const browser = await launchChromium();
  try {
    await recordViewerSessions(server.url);
    // 1280 px: the width the viewer is laid out to stay readable at, details pane open.
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 2 });
    await page.goto(`${server.url}/`);
    await page.locator('.session-item', { hasText: CONVERSATION_SESSION_NAME }).click();
    // The first turn's second model call: a conversation with a tool call and its result.
    await page.locator('.row[data-event-id]', { hasText: 'chat' }).nth(1).click();
    await page.locator('#details .message').first().waitFor();
    await page.mouse.move(0, 0); // no hover highlight in the picture
    await page.screenshot({ path: OUTPUT });
    process.stdout.write(`wrote ${path.relative(process.cwd(), OUTPUT)}\n`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
