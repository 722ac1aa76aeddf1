import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDevServer, type DevServerHandle, type TreeNode } from '../../src/dev-server/index';
import { VIEWER_SCRIPT } from '../../src/dev-server/viewer/script';
import { launchChromium } from '../browser/chromium';
import {
  AGENT_SESSION_NAME,
  HOSTILE_NOTE,
  LATE_SESSION_NAME,
  SUPPORT_SESSION_NAME,
  recordLateSession,
  recordViewerSessions,
} from '../browser/viewer-sessions';
import { useDevServer } from './helpers';

describe('session viewer: routes', () => {
  const printed: string[] = [];
  const ctx = useDevServer({ print: (line) => printed.push(line) });
  beforeEach(() => (printed.length = 0));

  it('serves the page, its stylesheet and its script under a strict Content-Security-Policy', async () => {
    const page = await fetch(`${ctx.server.url}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/,
    );
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(await page.text(), /<script src="\/ui\/viewer\.js" defer><\/script>/);

    const style = await fetch(`${ctx.server.url}/ui/viewer.css`);
    assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
    const script = await fetch(`${ctx.server.url}/ui/viewer.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await script.text(), VIEWER_SCRIPT);
    assert.equal((await fetch(`${ctx.server.url}/ui/missing.js`)).status, 404);
  });

  it("neither logs nor prints the viewer's page and polling, while other reads still are", async () => {
    await fetch(`${ctx.server.url}/`);
    const polled = await fetch(`${ctx.server.url}/sessions`, { headers: { 'x-honeyhive-viewer': '1' } });
    assert.equal(polled.status, 200);
    await fetch(`${ctx.server.url}/sessions`);
    assert.deepEqual(
      ctx.server.store.requests.map((request) => `${request.method} ${request.path}`),
      ['GET /sessions'],
    );
    assert.deepEqual(printed, ['GET /sessions -> 200']);
  });
});

interface RowView {
  depth: number;
  type: string;
  name: string;
  error: boolean;
  duration: string;
  tokensTotal: string | null;
  tokensSplit: string | null;
  barLeft: number | null;
  barWidth: number | null;
}

/**
 * What the page callbacks below use of the browser: this project compiles
 * without the DOM lib. The callbacks also define no named functions inside,
 * since tsx would wrap those in a helper the page does not have.
 */
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  classList: { contains(name: string): boolean };
  style: { left: string; width: string };
  querySelector(selector: string): PageElement | null;
}
interface PageGlobals {
  getComputedStyle(element: unknown): { color: string };
  __xss?: number;
}

/** The waterfall as the user sees it, top to bottom. */
function rowsOf(page: Page): Promise<RowView[]> {
  return page.locator('#rows .row').evaluateAll((rows) =>
    (rows as unknown as PageElement[]).map((row) => {
      const bar = row.querySelector('.bar');
      return {
        depth: Number(row.dataset['depth']),
        type: row.dataset['type'] ?? '',
        name: row.querySelector('.event-name')?.textContent ?? '',
        error: row.classList.contains('error'),
        duration: row.querySelector('.cell-duration')?.textContent ?? '',
        tokensTotal: row.querySelector('.tokens-total')?.textContent ?? null,
        tokensSplit: row.querySelector('.tokens-split')?.textContent ?? null,
        barLeft: bar === null ? null : parseFloat(bar.style.left),
        barWidth: bar === null ? null : parseFloat(bar.style.width),
      };
    }),
  );
}

/** One detail section's JSON, parsed back from what the page shows. */
async function sectionJson(page: Page, section: string): Promise<unknown> {
  return JSON.parse((await page.locator(`#details [data-section="${section}"] pre`).textContent()) ?? '');
}

describe('session viewer in headless Chromium', function () {
  // Launching Chromium on a busy shared machine can take a while.
  this.timeout(60_000);
  let browser: Browser | undefined;
  let server: DevServerHandle;
  let page: Page;
  let pageErrors: string[];

  before(async () => {
    // Fails (never skips) when Chromium is missing: npm test installs it first.
    browser = await launchChromium();
    server = await startDevServer();
    await recordViewerSessions(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    page = await (browser as Browser).newPage({ viewport: { width: 1440, height: 900 } });
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${server.url}/`);
  });

  afterEach(async () => {
    await page.close();
    assert.deepEqual(pageErrors, [], 'the page logged errors');
  });

  const openSession = async (name: string, events: number): Promise<void> => {
    await page.locator('.session-item', { hasText: name }).click();
    await page
      .locator('#rows .row')
      .nth(events - 1)
      .waitFor();
  };
  const eventRow = (name: string) =>
    page.locator('#rows .row', { has: page.locator('.event-name', { hasText: new RegExp(`^${name}$`) }) });

  it('lists the sessions newest first, with event counts, durations and errors', async () => {
    await page.locator('.session-item').nth(1).waitFor();
    const items = await page.locator('.session-item').evaluateAll((elements) =>
      elements.map((element) => ({
        name: element.querySelector('.session-title-text')?.textContent,
        summary: element.querySelector('.session-sub')?.textContent,
        errors: element.querySelector('.pill-error')?.textContent ?? null,
      })),
    );
    assert.deepEqual(
      items.map((item) => item.name),
      [SUPPORT_SESSION_NAME, AGENT_SESSION_NAME],
    );
    assert.match(items[0]?.summary ?? '', /^7 events· 2\.35 s· \d\d:\d\d:\d\d$/);
    assert.equal(items[0]?.errors, '2 errors');
    assert.match(items[1]?.summary ?? '', /^4 events· 10\.9 ms/);
    assert.equal(items[1]?.errors, null);
    assert.equal(await page.locator('#session-count').textContent(), '2');
    assert.ok(await page.locator('#session-placeholder').isVisible());
    assert.match((await page.locator('#live-text').textContent()) ?? '', /^Live · updated/);
  });

  it('draws a clicked session as a waterfall tree: nesting, types, durations, tokens, errors; and takes a screenshot', async () => {
    await openSession(SUPPORT_SESSION_NAME, 7);
    const sessionId =
      server.store.sessions().find((summary) => summary.session_name === SUPPORT_SESSION_NAME)?.session_id ?? '';
    assert.equal(await page.locator('#session-name').textContent(), SUPPORT_SESSION_NAME);
    assert.match(page.url(), new RegExp(`#session=${sessionId}$`));

    const rows = await rowsOf(page);
    assert.deepEqual(
      rows.map((row) => [row.depth, row.type, row.name, row.error, row.duration]),
      [
        [0, 'chain', 'handle_ticket', true, '2.35 s'],
        [1, 'model', 'classify_intent', false, '390.0 ms'],
        [1, 'tool', 'lookup_order', false, '180.0 ms'],
        [1, 'chain', 'draft_reply', false, '1.32 s'],
        [2, 'tool', 'search_policies', false, '180.0 ms'],
        [2, 'model', 'chat', false, '1.08 s'],
        [1, 'tool', 'send_email', true, '360.0 ms'],
      ],
    );
    assert.deepEqual(
      rows.map((row) => [row.tokensTotal, row.tokensSplit]),
      [
        [null, null],
        ['191', '182 in · 9 out'],
        [null, null],
        [null, null],
        [null, null],
        ['755', '612 in · 143 out'],
        [null, null],
      ],
    );
    // Bars sit where the events ran within the session's 2350 ms.
    const bars = rows.map((row) => [row.barLeft, row.barWidth]);
    assert.deepEqual(bars[0], [0, 100]);
    assert.ok(Math.abs((bars[6]?.[0] ?? 0) - (1970 / 2350) * 100) < 0.01, `send_email starts at ${bars[6]?.[0]}%`);
    assert.ok(Math.abs((bars[6]?.[1] ?? 0) - (360 / 2350) * 100) < 0.01, `send_email lasts ${bars[6]?.[1]}%`);

    // Errors stand out: the failing rows' names are red, the others are not.
    const nameColour = (name: string) =>
      eventRow(name)
        .locator('.event-name')
        .evaluate((element) => (globalThis as unknown as PageGlobals).getComputedStyle(element).color);
    assert.equal(await nameColour('send_email'), 'rgb(220, 38, 38)');
    assert.notEqual(await nameColour('lookup_order'), 'rgb(220, 38, 38)');

    // Folding a chain hides its children.
    await eventRow('draft_reply').locator('.toggle').click();
    assert.deepEqual(
      (await rowsOf(page)).map((row) => row.name),
      ['handle_ticket', 'classify_intent', 'lookup_order', 'draft_reply', 'send_email'],
    );
    await eventRow('draft_reply').locator('.toggle').click();
    assert.equal((await rowsOf(page)).length, 7);

    const directory = await mkdtemp(path.join(os.tmpdir(), 'viewer-screenshot-'));
    try {
      const file = path.join(directory, 'viewer.png');
      await page.screenshot({ path: file, fullPage: true });
      const png = await readFile(file);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('draws the recorded Vercel AI SDK agent exactly as the server built its tree', async () => {
    await openSession(AGENT_SESSION_NAME, 4);
    const sessionId =
      server.store.sessions().find((summary) => summary.session_name === AGENT_SESSION_NAME)?.session_id ?? '';
    // Names come from the convention mappings, which may improve; the viewer must show whatever they give.
    const expected: unknown[][] = [];
    const walk = (nodes: TreeNode[], depth: number): void => {
      for (const { event, children } of nodes) {
        expected.push([depth, event.event_type, event.event_name, typeof event.error === 'string']);
        walk(children, depth + 1);
      }
    };
    walk(server.store.tree(sessionId), 0);
    const rows = await rowsOf(page);
    assert.deepEqual(
      rows.map((row) => [row.depth, row.type, row.name, row.error]),
      expected,
    );
    assert.deepEqual(
      rows.map((row) => `${row.depth} ${row.type}`),
      ['0 chain', '1 model', '1 tool', '1 model'],
    );
  });

  it("shows a clicked event's inputs, outputs, config and metadata as JSON, and its error", async () => {
    await openSession(SUPPORT_SESSION_NAME, 7);
    await eventRow('chat').click();
    await page.locator('#details [data-section="inputs"] pre').waitFor();
    assert.equal(await page.locator('#details-name').textContent(), 'chat');
    assert.match(page.url(), /&event=[0-9a-f-]{36}$/);

    const chat = server.store.events().find((event) => event.event_name === 'chat');
    assert.ok(chat !== undefined);
    assert.deepEqual(await sectionJson(page, 'inputs'), chat.inputs);
    assert.deepEqual(await sectionJson(page, 'outputs'), chat.outputs);
    assert.deepEqual(await sectionJson(page, 'config'), chat.config);
    assert.deepEqual(await sectionJson(page, 'metadata'), chat.metadata);
    assert.equal(
      (chat.outputs as Record<string, unknown>)['content'],
      'Sorry about the damage! A replacement ships today by express and arrives Thursday.',
    );
    assert.match(
      (await page.locator('#details .kv').textContent()) ?? '',
      /Tokensprompt 612 · completion 143 · total 755Modelgpt-4o/,
    );
    assert.equal(await page.locator('#details .error-box').count(), 0);

    await eventRow('send_email').click();
    assert.equal(
      await page.locator('#details .error-box pre').textContent(),
      'SMTP 421: service not available, try again later',
    );
    assert.ok(await eventRow('send_email').evaluate((row) => row.classList.contains('selected')));

    await page.keyboard.press('Escape');
    assert.ok(await page.locator('#details').isHidden());
  });

  it('shows markup inside event content as text and never runs it', async () => {
    await openSession(SUPPORT_SESSION_NAME, 7);
    await eventRow('lookup_order').click();
    const outputs = page.locator('#details [data-section="outputs"] pre');
    assert.ok(((await outputs.textContent()) ?? '').includes(JSON.stringify(HOSTILE_NOTE)));
    assert.deepEqual(await sectionJson(page, 'outputs'), {
      status: 'delivered',
      delivered_at: '2025-12-29',
      customer_note: HOSTILE_NOTE,
    });
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).__xss ?? null), null);
    assert.equal(await page.locator('script').count(), 1, "only the viewer's own script");
    assert.equal(await page.locator('img').count(), 0);
  });

  it('picks up new sessions while open, keeps the selection, and restores it from the URL on reload', async () => {
    // Its own server, so the other tests keep their two sessions.
    const live = await startDevServer();
    try {
      await recordViewerSessions(live.url);
      await page.goto(`${live.url}/`);
      await openSession(SUPPORT_SESSION_NAME, 7);
      await eventRow('chat').click();

      await recordLateSession(live.url);
      await page.locator('.session-item').nth(2).waitFor(); // the next poll brings it
      assert.deepEqual(await page.locator('.session-title-text').allTextContents(), [
        LATE_SESSION_NAME,
        SUPPORT_SESSION_NAME,
        AGENT_SESSION_NAME,
      ]);
      assert.equal(
        await page.locator('.session-item.selected .session-title-text').textContent(),
        SUPPORT_SESSION_NAME,
      );
      assert.equal(await page.locator('#details-name').textContent(), 'chat');

      await page.reload();
      await page.locator('#details-name').waitFor();
      assert.equal(await page.locator('#details-name').textContent(), 'chat');
      assert.equal(
        await page.locator('.session-item.selected .session-title-text').textContent(),
        SUPPORT_SESSION_NAME,
      );
    } finally {
      await live.close();
    }
  });
});
