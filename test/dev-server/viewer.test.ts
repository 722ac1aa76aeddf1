import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDevServer, type DevServerHandle, type TreeNode } from '../../src/dev-server/index';
import { VIEWER_CLIENT_DIR } from '../../src/dev-server/viewer/assets';
import { launchChromium } from '../browser/chromium';
import {
  AGENT_SESSION_NAME,
  CONVERSATION_SESSION_NAME,
  HOSTILE_NOTE,
  LATE_SESSION_NAME,
  SUPPORT_SESSION_NAME,
  TRIP_SYSTEM_PROMPT,
  recordLateSession,
  recordViewerSessions,
} from '../browser/viewer-sessions';
import { postJson, putJson, useDevServer } from './helpers';

describe('session viewer: routes', () => {
  const printed: string[] = [];
  const ctx = useDevServer({ print: (line) => printed.push(line) });
  beforeEach(() => (printed.length = 0));

  it('serves the page, its stylesheet and its compiled script modules under a strict Content-Security-Policy', async () => {
    const page = await fetch(`${ctx.server.url}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(
      page.headers.get('content-security-policy') ?? '',
      /default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'/,
    );
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(await page.text(), /<script type="module" src="\/ui\/viewer\.js"><\/script>/);

    const style = await fetch(`${ctx.server.url}/ui/viewer.css`);
    assert.equal(style.headers.get('content-type'), 'text/css; charset=utf-8');
    const script = await fetch(`${ctx.server.url}/ui/viewer.js`);
    assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await script.text(), await readFile(path.join(VIEWER_CLIENT_DIR, 'viewer.js'), 'utf8'));
    // The modules it imports are served beside it.
    const imported = [
      ...(await readFile(path.join(VIEWER_CLIENT_DIR, 'viewer.js'), 'utf8')).matchAll(/from '\.\/([\w-]+\.js)'/g),
    ];
    assert.ok(imported.length >= 3, `viewer.js imports ${imported.length} modules`);
    for (const [, name] of imported) {
      const module = await fetch(`${ctx.server.url}/ui/${name}`);
      assert.equal(module.status, 200, name);
      assert.equal(module.headers.get('content-type'), 'text/javascript; charset=utf-8');
    }
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
  querySelectorAll(selector: string): Iterable<PageElement>;
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

/** One detail section's JSON, parsed back from what the page shows (switching a chat view to its raw JSON first). */
async function sectionJson(page: Page, section: string): Promise<unknown> {
  const located = page.locator(`#details [data-section="${section}"]`);
  if ((await located.getAttribute('data-view')) === 'chat') await located.locator('.raw-toggle').click();
  return JSON.parse((await page.locator(`#details [data-section="${section}"] > pre`).textContent()) ?? '');
}

/** The messages a chat view shows: role, text, tool calls and what a tool message answers. */
function messagesOf(page: Page, section: string): Promise<unknown[]> {
  return page.locator(`#details [data-section="${section}"] .message`).evaluateAll((messages) =>
    (messages as unknown as PageElement[]).map((message) => ({
      role: message.querySelector('.message-role')?.textContent,
      text: message.querySelector('.message-text')?.textContent ?? null,
      toolCalls: [...message.querySelectorAll('.tool-call')].map(
        (call) =>
          `${call.querySelector('.tool-call-name')?.textContent}(${call.querySelector('pre')?.textContent?.replace(/\s+/g, '')})`,
      ),
      answers: message.querySelector('.message-ref')?.textContent ?? null,
    })),
  );
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
    await page.locator('#session-name', { hasText: name }).waitFor();
    await page
      .locator('#rows .row')
      .nth(events - 1)
      .waitFor();
  };
  const supportTraceId = (): unknown =>
    server.store.events().find((event) => event.event_name === 'handle_ticket')?.metadata?.['trace_id'];
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
      [SUPPORT_SESSION_NAME, CONVERSATION_SESSION_NAME, AGENT_SESSION_NAME],
    );
    assert.match(items[0]?.summary ?? '', /^7 events· 2\.35 s· \d\d:\d\d:\d\d$/);
    assert.equal(items[0]?.errors, '2 errors');
    assert.match(items[1]?.summary ?? '', /^6 events· 5\.92 s/);
    assert.match(items[2]?.summary ?? '', /^4 events· 10\.9 ms/);
    assert.equal(items[2]?.errors, null);
    assert.equal(await page.locator('#session-count').textContent(), '3');
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
    await page.locator('#details [data-section="inputs"]').waitFor();
    assert.equal(await page.locator('#details-name').textContent(), 'chat');
    assert.match(page.url(), /&event=[0-9a-f-]{36}$/);

    const chat = server.store
      .events()
      .find((event) => event.event_name === 'chat' && event.metadata?.['trace_id'] === supportTraceId());
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

  it('shows chat_history and model outputs as role-labelled messages with their tool calls, the raw JSON one click away', async () => {
    await openSession(CONVERSATION_SESSION_NAME, 6);
    const chatRows = page.locator('#rows .row[data-event-id]', { hasText: 'chat' });
    await chatRows.nth(1).click();
    await page.locator('#details [data-section="inputs"] .message').first().waitFor();
    assert.equal(await page.locator('#details [data-section="inputs"] .section-size').textContent(), '4 messages');
    assert.deepEqual(await messagesOf(page, 'inputs'), [
      { role: 'system', text: TRIP_SYSTEM_PROMPT, toolCalls: [], answers: null },
      { role: 'user', text: 'Is it a good week for Paris?', toolCalls: [], answers: null },
      { role: 'assistant', text: null, toolCalls: ['get_weather({"city":"Paris"})'], answers: null },
      // A tool result holding JSON is shown as that JSON.
      { role: 'tool', text: null, toolCalls: [], answers: 'result of call_weather_1' },
    ]);
    assert.deepEqual(
      await page
        .locator('#details [data-section="inputs"] .message')
        .evaluateAll((messages) => messages.map((message) => message.className)),
      ['message role-system', 'message role-user', 'message role-assistant', 'message role-tool'],
    );
    assert.equal(
      await page.locator('#details [data-section="inputs"] .role-tool .message-name').textContent(),
      'get_weather',
    );
    assert.deepEqual(await messagesOf(page, 'outputs'), [
      {
        role: 'assistant',
        text: 'Yes: sunny all week, 18-22 °C. A great week for Paris.',
        toolCalls: [],
        answers: null,
      },
    ]);
    assert.equal(await page.locator('#details [data-section="outputs"] .message-finish').textContent(), 'stop');

    // One click shows the raw JSON, exactly what the server stored; it stays raw from event to event.
    const selected = server.store
      .events()
      .filter((event) => event.event_name === 'chat' && event.metadata?.['trace_id'] !== supportTraceId())
      .sort((a, b) => (a.start_time ?? 0) - (b.start_time ?? 0));
    await page.locator('#details [data-section="inputs"] .raw-toggle').click();
    assert.equal(await page.locator('#details [data-section="inputs"]').getAttribute('data-view'), 'json');
    assert.equal(await page.locator('#details [data-section="inputs"] .message').count(), 0);
    assert.deepEqual(
      JSON.parse((await page.locator('#details [data-section="inputs"] > pre').textContent()) ?? ''),
      selected[1]?.inputs,
    );
    await chatRows.nth(0).click();
    await page.locator('#details [data-section="outputs"] .tool-call').waitFor();
    assert.equal(await page.locator('#details [data-section="inputs"]').getAttribute('data-view'), 'json');
    assert.deepEqual(await messagesOf(page, 'outputs'), [
      { role: 'assistant', text: null, toolCalls: ['get_weather({"city":"Paris"})'], answers: null },
    ]);
    assert.equal(await page.locator('#details [data-section="outputs"] .tool-call-id').textContent(), 'call_weather_1');
    await page.locator('#details [data-section="inputs"] .raw-toggle').click();
    assert.equal(await page.locator('#details [data-section="inputs"] .message').count(), 2);

    // Inputs that are no conversation stay JSON, with no toggle.
    await eventRow('get_weather').click();
    await page.locator('#details [data-section="inputs"] > pre').waitFor();
    assert.equal(await page.locator('#details [data-section="inputs"]').getAttribute('data-view'), null);
    assert.equal(await page.locator('#details .raw-toggle').count(), 0);
  });

  it('keeps the tree, the time axis and the details pane readable side by side at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await openSession(SUPPORT_SESSION_NAME, 7);
    await eventRow('chat').click();
    await page.locator('#details .message').first().waitFor();
    const box = async (selector: string) => {
      const found = await page.locator(selector).first().boundingBox();
      assert.ok(found !== null, `${selector} is not shown`);
      return found;
    };
    const [sidebar, details, waterfall, timeline, axis] = await Promise.all(
      ['.sidebar', '#details', '#waterfall', '#rows .cell-timeline', '#axis'].map(box),
    );
    const tickRights = await page
      .locator('#axis .axis-tick')
      .evaluateAll((ticks) => ticks.map((tick) => tick.getBoundingClientRect().right));
    const layout = {
      sidebarWidth: sidebar.width,
      detailsLeft: details.x,
      detailsWidth: details.width,
      waterfallRight: waterfall.x + waterfall.width,
      waterfallOverflow: await page
        .locator('#waterfall')
        .evaluate((element) => element.scrollWidth - element.clientWidth),
      timelineWidth: timeline.width,
      truncatedNames: await page
        .locator('#rows .event-name')
        .evaluateAll((names) =>
          names.filter((name) => name.scrollWidth > name.clientWidth).map((name) => name.textContent),
        ),
      ticks: tickRights.length,
      ticksInside: tickRights.every((right) => right <= axis.x + axis.width + 1),
    };
    assert.ok(layout.sidebarWidth >= 200, `sidebar ${layout.sidebarWidth} px`);
    assert.ok(layout.detailsWidth >= 360, `details pane ${layout.detailsWidth} px`);
    assert.ok(layout.waterfallRight <= layout.detailsLeft, 'the waterfall ends where the details pane begins');
    assert.equal(layout.waterfallOverflow, 0, 'the waterfall needs no horizontal scrolling');
    assert.deepEqual(layout.truncatedNames, [], 'every event name is shown whole');
    assert.ok(layout.timelineWidth >= 160, `timeline ${layout.timelineWidth} px`);
    assert.ok(layout.ticks >= 3, `${layout.ticks} axis ticks`);
    assert.ok(layout.ticksInside, 'every axis label fits inside the axis');
  });

  it('gives each trace of a session of several its own heading, its events under it', async () => {
    await openSession(CONVERSATION_SESSION_NAME, 6);
    const sequence = await page
      .locator('#rows .row')
      .evaluateAll((rows) =>
        (rows as unknown as PageElement[]).map((row) =>
          row.classList.contains('trace-head')
            ? `${row.querySelector('.trace-label')?.textContent} ${row.querySelector('.trace-count')?.textContent} ${row.dataset['traceId']}`
            : `${row.querySelector('.event-name')?.textContent} ${row.dataset['traceId']}`,
        ),
      );
    const traceIds = [
      ...new Set(
        server.store
          .events()
          .filter((event) => event.event_name === 'agent_turn')
          .sort((a, b) => (a.start_time ?? 0) - (b.start_time ?? 0))
          .map((event) => event.metadata?.['trace_id']),
      ),
    ];
    assert.equal(traceIds.length, 2);
    const [first, second] = traceIds;
    assert.deepEqual(sequence, [
      `Trace 1 of 2 4 events ${first}`,
      `agent_turn ${first}`,
      `chat ${first}`,
      `get_weather ${first}`,
      `chat ${first}`,
      `Trace 2 of 2 2 events ${second}`,
      `agent_turn ${second}`,
      `chat ${second}`,
    ]);
    assert.equal(await page.locator('#session-facts [data-fact="traces"] strong').textContent(), '2');
    // Arrow keys walk the events, stepping over the headings.
    await eventRow('get_weather').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#details-name').textContent(), 'agent_turn');

    await openSession(SUPPORT_SESSION_NAME, 7);
    assert.equal(await page.locator('#rows .trace-head').count(), 0, 'one trace needs no heading');
    assert.equal(await page.locator('#session-facts [data-fact="traces"]').count(), 0);
  });

  it("shows the session's end, duration, inputs, outputs, feedback and metrics as an update brings them", async () => {
    const own = await startDevServer();
    try {
      const sessionId = randomUUID();
      const start = Date.UTC(2026, 0, 1, 9, 30);
      const fields = {
        inputs: { question: 'Is it a good week for Paris?' },
        outputs: { answer: 'Yes: sunny all week.' },
        feedback: { rating: 5, comment: 'spot on' },
        metrics: { answer_relevance: 0.92 },
      };
      const { inputs, ...updated } = fields;
      const started = await postJson(own, '/v1/sessions', {
        session_id: sessionId,
        session_name: 'Finished session',
        source: 'dev',
        start_time: start,
        inputs,
      });
      assert.equal(started.status, 200);
      await page.goto(`${own.url}/#session=${sessionId}`);
      await page.locator('#session-name', { hasText: 'Finished session' }).waitFor();
      assert.equal(await page.locator('#session-facts [data-fact="ended"]').count(), 0, 'not ended yet');
      assert.equal(await page.locator('#open-session').textContent(), 'Session fields: inputs');

      // The session ends later, as the exporter (or enrichSession) updates it; the next poll shows it.
      const update = await putJson(own, `/v1/events/${sessionId}`, {
        end_time: start + 4200,
        duration: 4200,
        ...updated,
      });
      assert.equal(update.status, 200);
      await page.locator('#session-facts [data-fact="ended"]').waitFor();
      await page.locator('#session-name', { hasText: 'Finished session' }).waitFor();
      const factText = (name: string) => page.locator(`#session-facts [data-fact="${name}"] strong`).textContent();
      // The page shows local time; Chromium runs in this machine's time zone, as this process does.
      const pad = (number: number, width = 2) => String(number).padStart(width, '0');
      const localTime = (epochMs: number) => {
        const date = new Date(epochMs);
        const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
        return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
      };
      assert.equal(await factText('started'), localTime(start));
      assert.equal(await factText('ended'), localTime(start + 4200));
      assert.equal(await factText('duration'), '4.20 s');
      assert.equal(
        await page.locator('#session-facts .derived').count(),
        0,
        "the session's own times, not its events'",
      );
      assert.equal(
        await page.locator('#open-session').textContent(),
        'Session fields: inputs, outputs, feedback, metrics',
      );

      await page.locator('#open-session').click();
      assert.equal(await page.locator('#details-name').textContent(), 'Finished session');
      assert.equal(await page.locator('#details .badge').textContent(), 'session');
      assert.match(page.url(), new RegExp(`&event=${sessionId}$`));
      assert.match((await page.locator('#details .kv').textContent()) ?? '', /Duration4\.20 sStarted.*Ended/);
      for (const [key, value] of Object.entries(fields)) assert.deepEqual(await sectionJson(page, key), value, key);
    } finally {
      await own.close();
    }
  });

  it('marks the session times it works out from the events, when the session does not carry them', async () => {
    const own = await startDevServer();
    try {
      const sessionId = randomUUID();
      const start = Date.UTC(2026, 0, 1, 9, 30);
      const session = { session_id: sessionId, session_name: 'Open session', source: 'dev', start_time: start };
      assert.equal((await postJson(own, '/session/start', { session })).status, 200);
      const event = {
        event_id: randomUUID(),
        session_id: sessionId,
        parent_id: sessionId,
        event_name: 'step',
        event_type: 'tool',
        source: 'dev',
        start_time: start + 100,
        end_time: start + 2450,
        duration: 2350,
        inputs: {},
        metadata: {},
      };
      assert.equal((await postJson(own, `/session/${sessionId}/traces`, { events: [event] })).status, 200);
      await page.goto(`${own.url}/#session=${sessionId}`);
      await page.locator('#session-name', { hasText: 'Open session' }).waitFor();
      const derived = (name: string) =>
        page.locator(`#session-facts [data-fact="${name}"]`).evaluate((fact) => fact.classList.contains('derived'));
      assert.equal(await derived('started'), false, 'its own start');
      assert.equal(await derived('ended'), true, 'the end of its last event');
      assert.equal(await derived('duration'), true);
      assert.equal(await page.locator('#session-facts [data-fact="duration"] strong').textContent(), '2.45 s');
      await page.locator('#open-session').click();
      assert.match((await page.locator('#details .kv').textContent()) ?? '', /^Duration2\.45 s \(its events\)Started/);
    } finally {
      await own.close();
    }
  });

  it("says when the server's memory bounds dropped older sessions", async () => {
    const bounded = await startDevServer({ limits: { maxSessions: 2 } });
    try {
      await recordViewerSessions(bounded.url);
      await page.goto(`${bounded.url}/`);
      await page.locator('.session-item').nth(1).waitFor();
      assert.equal(await page.locator('.session-item').count(), 2);
      assert.match(
        (await page.locator('#dropped').textContent()) ?? '',
        /^Dropped to stay within the server's limits: 1 older session and 4 older events\.$/,
      );
    } finally {
      await bounded.close();
    }
    await page.goto(`${server.url}/`);
    await page.locator('.session-item').nth(2).waitFor();
    assert.ok(await page.locator('#dropped').isHidden());
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
      await page.locator('.session-item').nth(3).waitFor(); // the next poll brings it
      assert.deepEqual(await page.locator('.session-title-text').allTextContents(), [
        LATE_SESSION_NAME,
        SUPPORT_SESSION_NAME,
        CONVERSATION_SESSION_NAME,
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
