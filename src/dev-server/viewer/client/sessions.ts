/** The sessions sidebar and the selected session's heading. */
import type { SessionDetails, SessionSummary, StoreDrops } from '../../types';
import { byId, h } from './dom.js';
import {
  formatClock,
  formatDateTime,
  formatDuration,
  hasError,
  isNumber,
  plural,
  sessionTimes,
  type SessionTime,
} from './format.js';
import { state } from './state.js';
import { tracesOf } from './waterfall.js';

const UNNAMED_SESSION = '(unnamed session)';

export function renderSessionList(sessions: readonly SessionSummary[], onSelect: (sessionId: string) => void): void {
  byId('session-count').textContent = sessions.length > 0 ? String(sessions.length) : '';
  byId('no-sessions').hidden = sessions.length > 0;
  // Newest first: the session just sent is the one to look at.
  byId('session-list').replaceChildren(
    ...sessions
      .slice()
      .reverse()
      .map((summary) => sessionItem(summary, onSelect)),
  );
}

/** What the server's memory bounds dropped, if anything: older sessions and events are gone from this list. */
export function renderDropped(dropped: StoreDrops | undefined): void {
  const note = byId('dropped');
  const parts = [
    dropped !== undefined && dropped.sessions > 0 ? plural(dropped.sessions, 'older session') : null,
    dropped !== undefined && dropped.events > 0 ? plural(dropped.events, 'older event') : null,
  ].filter((part) => part !== null);
  note.hidden = parts.length === 0;
  note.textContent = parts.length === 0 ? '' : `Dropped to stay within the server's limits: ${parts.join(' and ')}.`;
}

function sessionItem(summary: SessionSummary, onSelect: (sessionId: string) => void): HTMLElement {
  const selected = summary.session_id === state.sessionId;
  const { start_time: start, duration } = summary;
  return h(
    'li',
    null,
    h(
      'button',
      {
        type: 'button',
        class: `session-item${selected ? ' selected' : ''}`,
        'data-session-id': summary.session_id,
        'aria-current': selected ? 'true' : null,
        onclick: () => onSelect(summary.session_id),
      },
      h(
        'div',
        { class: 'session-title' },
        h('span', { class: 'session-title-text', text: summary.session_name ?? UNNAMED_SESSION }),
        summary.error_count > 0
          ? h('span', { class: 'pill pill-error', text: plural(summary.error_count, 'error') })
          : null,
        summary.warnings_count > 0
          ? h('span', { class: 'pill pill-warn', title: 'warnings', text: `! ${summary.warnings_count}` })
          : null,
      ),
      h(
        'div',
        { class: 'session-sub' },
        h('span', { text: plural(summary.event_count, 'event') }),
        isNumber(duration) ? h('span', { text: `· ${formatDuration(duration)}` }) : null,
        isNumber(start) ? h('span', { text: `· ${formatClock(start)}` }) : null,
        summary.started ? null : h('span', { class: 'pill pill-muted', text: 'not started' }),
      ),
      h('div', { class: 'session-id', text: summary.session_id }),
    ),
  );
}

/** Marks the selected session in the list without redrawing it. */
export function markSelectedSession(): void {
  for (const item of document.querySelectorAll<HTMLElement>('.session-item')) {
    const selected = item.dataset['sessionId'] === state.sessionId;
    item.classList.toggle('selected', selected);
    if (selected) item.setAttribute('aria-current', 'true');
    else item.removeAttribute('aria-current');
  }
}

/**
 * One fact of the heading. A time the session does not carry itself is worked
 * out from its events, and says so on hover.
 */
function fact(label: string, value: string, options: { mono?: boolean; derived?: boolean } = {}): HTMLElement {
  return h(
    'span',
    {
      class: `fact${options.derived ? ' derived' : ''}`,
      'data-fact': label.toLowerCase(),
      title: options.derived ? 'from its events: the session itself carries no such time' : null,
    },
    `${label} `,
    h('strong', { class: options.mono ? 'fact-mono' : null, text: value }),
  );
}

function timeFact(label: string, time: SessionTime | undefined, format: (value: number) => string): HTMLElement | null {
  return time === undefined ? null : fact(label, format(time.value), { derived: time.derived });
}

/** The names of the session's own fields worth opening, for the heading's button. */
const SESSION_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['inputs', 'inputs'],
  ['outputs', 'outputs'],
  ['feedback', 'feedback'],
  ['metrics', 'metrics'],
  ['metadata', 'metadata'],
  ['user_properties', 'user properties'],
];

export function renderSessionHead(details: SessionDetails, onOpenSession: () => void): void {
  const session = details.session;
  const name = typeof session.session_name === 'string' ? session.session_name : UNNAMED_SESSION;
  document.title = `${name} · HoneyHive local server`;
  byId('session-name').textContent = name;

  const errors = details.events.filter(hasError).length;
  const times = sessionTimes(details);
  const traces = tracesOf(details.tree).length;
  const fields = session as Record<string, unknown>;
  const present = SESSION_FIELDS.filter(([key]) => {
    const value = fields[key];
    return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
  }).map(([, label]) => label);
  const facts = [
    fact('Session', session.session_id, { mono: true }),
    typeof session.project === 'string' ? fact('Project', session.project) : null,
    typeof session.source === 'string' ? fact('Source', session.source) : null,
    fact('Events', String(details.events.length)),
    traces > 1 ? fact('Traces', String(traces)) : null,
    errors > 0 ? h('span', { class: 'pill pill-error', text: plural(errors, 'error') }) : null,
    timeFact('Started', times.start, formatDateTime),
    timeFact('Ended', times.end, formatDateTime),
    timeFact('Duration', times.duration, formatDuration),
    details.started ? null : h('span', { class: 'pill pill-muted', text: 'never started' }),
    h('button', {
      type: 'button',
      id: 'open-session',
      class: 'session-open',
      title: "the session's own fields in the details pane",
      text: present.length > 0 ? `Session fields: ${present.join(', ')}` : 'Session fields',
      onclick: onOpenSession,
    }),
  ];
  byId('session-facts').replaceChildren(...facts.filter((item) => item !== null));
  const warnings = byId('warnings');
  warnings.hidden = details.warnings.length === 0;
  warnings.replaceChildren(...details.warnings.map((warning) => h('li', { text: warning.message })));
}
