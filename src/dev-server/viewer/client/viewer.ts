/**
 * The session viewer's browser entry point (built to /ui/viewer.js).
 *
 * Event content is untrusted (prompts can hold markup), so every value reaches
 * the page through textContent or a DOM attribute, never through innerHTML;
 * the page's Content-Security-Policy backs that up. It polls the read-back
 * routes every 2 s and re-renders only what changed, keeping the selection
 * (also kept in the URL hash, so a reload comes back to the same place).
 */
import type { SessionDetails, SessionSummary, StoreDrops } from '../../types';
import { renderDetailsPane } from './details.js';
import { byId } from './dom.js';
import { formatClock } from './format.js';
import { markSelectedSession, renderDropped, renderSessionHead, renderSessionList } from './sessions.js';
import { state } from './state.js';
import { renderTimeScale, renderWaterfall } from './waterfall.js';

const POLL_MS = 2000;
/** Marks the viewer's own requests, so the server neither prints nor logs them (VIEWER_REQUEST_HEADER). */
const FETCH_OPTIONS: RequestInit = { headers: { 'x-honeyhive-viewer': '1' }, cache: 'no-store' };

async function getAnswer(path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(path, FETCH_OPTIONS);
  return { status: response.status, text: await response.text() };
}

/** One refresh at a time, in order: a slow poll never overwrites a newer click. */
let queue = Promise.resolve();
function refresh(): Promise<void> {
  queue = queue.then(refreshNow, refreshNow);
  return queue;
}

async function refreshNow(): Promise<void> {
  try {
    const list = await getAnswer('/sessions');
    if (list.status !== 200) throw new Error(`GET /sessions answered ${list.status}`);
    if (list.text !== state.sessionsText) {
      state.sessionsText = list.text;
      const answer = JSON.parse(list.text) as { sessions: SessionSummary[]; dropped?: StoreDrops };
      renderSessionList(answer.sessions, selectSession);
      renderDropped(answer.dropped);
    }
    const sessionId = state.sessionId;
    if (sessionId !== null) {
      const one = await getAnswer(`/sessions/${encodeURIComponent(sessionId)}`);
      if (sessionId === state.sessionId && one.text !== state.sessionText) {
        state.sessionText = one.text;
        if (one.status === 200) renderSession(JSON.parse(one.text) as SessionDetails);
        else renderMissingSession(sessionId);
      }
    }
    setLive(true);
  } catch {
    setLive(false);
  }
}

function setLive(ok: boolean): void {
  const live = byId('live');
  live.classList.toggle('ok', ok);
  live.classList.toggle('down', !ok);
  byId('live-text').textContent = ok ? `Live · updated ${formatClock(Date.now())}` : 'Server unreachable · retrying';
}

function poll(): void {
  const next = document.hidden ? Promise.resolve() : refresh();
  void next.then(() => setTimeout(poll, POLL_MS));
}

function readHash(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  state.sessionId = params.get('session');
  state.eventId = params.get('event');
}

function writeHash(): void {
  const params = new URLSearchParams();
  if (state.sessionId !== null) params.set('session', state.sessionId);
  if (state.eventId !== null) params.set('event', state.eventId);
  const hash = params.toString();
  history.replaceState(null, '', hash === '' ? location.pathname : `#${hash}`);
}

function selectSession(sessionId: string): void {
  if (sessionId === state.sessionId) return;
  state.sessionId = sessionId;
  state.eventId = null;
  state.collapsed.clear();
  state.sessionText = '';
  state.details = null;
  writeHash();
  markSelectedSession();
  showDetails();
  void refresh();
}

/** Selects an event, or the session itself by its id, or nothing (null). */
function selectEvent(eventId: string | null): void {
  state.eventId = eventId;
  writeHash();
  for (const row of byId('rows').querySelectorAll<HTMLElement>('[data-event-id]')) {
    const selected = row.dataset['eventId'] === eventId;
    row.classList.toggle('selected', selected);
    row.setAttribute('aria-selected', String(selected));
  }
  showDetails();
}

const closeDetails = (): void => selectEvent(null);
const showDetails = (): void => renderDetailsPane(closeDetails);

function renderMissingSession(sessionId: string): void {
  state.details = null;
  byId('session-view').hidden = true;
  const placeholder = byId('session-placeholder');
  placeholder.hidden = false;
  placeholder.textContent = `No session ${sessionId} on this server (yet).`;
  showDetails();
}

function renderSession(details: SessionDetails): void {
  state.details = details;
  byId('session-placeholder').hidden = true;
  byId('session-view').hidden = false;
  renderSessionHead(details, () => selectEvent(details.session.session_id));
  renderWaterfall(selectEvent);
  showDetails();
}

function moveSelection(offset: number): void {
  const rows = [...byId('rows').querySelectorAll<HTMLElement>('[data-event-id]')];
  const index = rows.findIndex((row) => row.dataset['eventId'] === state.eventId);
  const next = rows[Math.min(Math.max(index + offset, 0), rows.length - 1)];
  if (next === undefined) return;
  selectEvent(next.dataset['eventId'] ?? null);
  next.focus();
}

function start(): void {
  readHash();
  byId('no-sessions-hint').textContent =
    `HH_API_URL=${location.origin} \\\n  HH_API_KEY=anything \\\n  node your-app.js`;
  byId('rows').addEventListener('keydown', (key) => {
    if (key.key === 'ArrowDown' || key.key === 'ArrowUp') {
      key.preventDefault();
      moveSelection(key.key === 'ArrowDown' ? 1 : -1);
    } else if (
      key.key === 'Enter' &&
      key.target instanceof HTMLElement &&
      key.target.dataset['eventId'] !== undefined
    ) {
      selectEvent(key.target.dataset['eventId']);
    }
  });
  document.addEventListener('keydown', (key) => {
    if (key.key === 'Escape' && state.eventId !== null) closeDetails();
  });
  window.addEventListener('hashchange', () => {
    const before = state.sessionId;
    readHash();
    if (state.sessionId !== before) {
      state.sessionText = '';
      state.details = null;
    }
    state.sessionsText = '';
    void refresh();
  });
  // The details pane opening or the window resizing changes the timeline's width.
  new ResizeObserver(renderTimeScale).observe(byId('axis'));
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) void refresh();
  });
  poll();
}

start();
