/**
 * The details pane: the selected event (or the session itself) as facts, its
 * error, and one foldable section per field. Conversations show as chat
 * messages, with the raw JSON one click away.
 */
import type { SessionDetails, StoredEvent, StoredSession } from '../../types';
import { conversationOf, conversationView } from './chat.js';
import { byId, h } from './dom.js';
import {
  describeTokens,
  durationOf,
  eventName,
  formatDateTime,
  formatDuration,
  isNumber,
  modelOf,
  plural,
  sessionTimes,
  tokensOf,
  traceIdOf,
  type SessionTime,
  typeClass,
  typeOf,
} from './format.js';
import { isEmpty, isJsonObject, jsonBlock, sizeOf } from './json-view.js';
import { state } from './state.js';

/** [title, field, shown even when empty]; a session shows every one it has, and any other object field after them. */
const SECTIONS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['Inputs', 'inputs', true],
  ['Outputs', 'outputs', true],
  ['Config', 'config', true],
  ['Metadata', 'metadata', true],
  ['Metrics', 'metrics', false],
  ['Feedback', 'feedback', false],
  ['User properties', 'user_properties', false],
];

function copyButton(value: unknown): HTMLElement | null {
  if (navigator.clipboard === undefined) return null;
  const button = h('button', { type: 'button', class: 'copy', text: 'Copy' });
  button.addEventListener('click', (click) => {
    click.preventDefault(); // the button sits in the summary: do not fold the section
    void navigator.clipboard.writeText(JSON.stringify(value, null, 2)).then(() => {
      button.textContent = 'Copied';
      setTimeout(() => (button.textContent = 'Copy'), 1200);
    });
  });
  return button;
}

function section(title: string, key: string, value: unknown): HTMLElement {
  const empty = isEmpty(value);
  const conversation = empty ? undefined : conversationOf(key, value);
  const chat = conversation === undefined ? undefined : conversationView(conversation);
  const raw = chat === undefined || state.rawSections.has(key);
  const body = empty ? h('div', { class: 'json-empty', text: 'empty' }) : raw ? jsonBlock(value) : chat;
  const rawToggle =
    chat === undefined
      ? null
      : h('button', {
          type: 'button',
          class: 'raw-toggle',
          'aria-pressed': String(raw),
          title: raw ? 'show as chat messages' : 'show the raw JSON',
          text: raw ? 'Chat' : 'JSON',
          onclick: (click) => {
            click.preventDefault();
            if (raw) state.rawSections.delete(key);
            else state.rawSections.add(key);
            details.replaceWith(section(title, key, value));
          },
        });
  const details = h(
    'details',
    {
      class: 'section',
      'data-section': key,
      'data-view': chat === undefined ? null : raw ? 'json' : 'chat',
      open: !state.closedSections.has(key),
    },
    h(
      'summary',
      null,
      title,
      h('span', {
        class: 'section-size',
        text: empty ? '' : conversation !== undefined ? plural(conversation.messages.length, 'message') : sizeOf(value),
      }),
      rawToggle,
      empty ? null : copyButton(value),
    ),
    body ?? null,
  );
  details.addEventListener('toggle', () => {
    if ((details as HTMLDetailsElement).open) state.closedSections.delete(key);
    else state.closedSections.add(key);
  });
  return details;
}

function keyValues(pairs: ReadonlyArray<readonly [string, string | undefined, boolean?]>): HTMLElement {
  return h(
    'dl',
    { class: 'kv' },
    pairs
      .filter((pair) => pair[1] !== undefined)
      .map(([label, value, mono]) => [h('dt', { text: label }), h('dd', { class: mono ? 'mono' : null, text: value })]),
  );
}

const timeText = (time: unknown): string | undefined => (isNumber(time) ? formatDateTime(time) : undefined);

function eventFacts(event: StoredEvent): HTMLElement {
  const tokens = tokensOf(event);
  const parent = event.parent_id;
  return keyValues([
    ['Duration', formatDuration(durationOf(event)) || undefined],
    ['Started', timeText(event.start_time)],
    ['Tokens', tokens === undefined ? undefined : describeTokens(tokens)],
    ['Model', modelOf(event)],
    ['Event ID', event.event_id, true],
    ['Parent', parent === event.session_id ? 'the session' : parent, parent !== event.session_id],
    ['Trace', traceIdOf(event), true],
    ['Children', Array.isArray(event.children_ids) ? String(event.children_ids.length) : undefined],
    ['Source', event.source],
  ]);
}

/** A session time, with "(its events)" when the session does not carry it itself. */
function sessionTimeText(time: SessionTime | undefined, format: (value: number) => string): string | undefined {
  return time === undefined ? undefined : `${format(time.value)}${time.derived ? ' (its events)' : ''}`;
}

function sessionFacts(details: SessionDetails): HTMLElement {
  const session = details.session;
  const times = sessionTimes(details);
  return keyValues([
    ['Duration', sessionTimeText(times.duration, formatDuration)],
    ['Started', sessionTimeText(times.start, formatDateTime)],
    ['Ended', sessionTimeText(times.end, formatDateTime)],
    ['Session ID', session.session_id, true],
    ['Project', session.project],
    ['Source', session.source],
  ]);
}

/** The session's object fields: the known sections first, then whatever else it holds. */
function sessionSections(session: StoredSession): HTMLElement[] {
  const fields = session as Record<string, unknown>;
  const known = new Set(SECTIONS.map(([, key]) => key));
  const others = Object.keys(fields)
    .filter((key) => !known.has(key) && (isJsonObject(fields[key]) || Array.isArray(fields[key])))
    .map((key) => [key.replace(/_/g, ' '), key] as const);
  return [...SECTIONS, ...others]
    .filter(([, key]) => !isEmpty(fields[key]))
    .map(([title, key]) => section(title, key, fields[key]));
}

function eventSections(event: StoredEvent): HTMLElement[] {
  const fields = event as Record<string, unknown>;
  return SECTIONS.filter(([, key, always]) => always || !isEmpty(fields[key])).map(([title, key]) =>
    section(title, key, fields[key]),
  );
}

function pane(badgeType: string, badgeText: string, title: string, onClose: () => void, body: HTMLElement[]): Node[] {
  return [
    h(
      'div',
      { class: 'details-head' },
      h(
        'div',
        { class: 'details-title' },
        h('span', { class: `badge ${badgeType}`, text: badgeText }),
        h('h2', { id: 'details-name', text: title }),
        h('button', { type: 'button', class: 'close', 'aria-label': 'close details', text: '×', onclick: onClose }),
      ),
    ),
    h('div', { class: 'details-body' }, body),
  ];
}

function errorBox(error: string): HTMLElement {
  return h('div', { class: 'error-box' }, h('div', { class: 'label', text: 'Error' }), h('pre', { text: error }));
}

function sessionPane(details: SessionDetails, onClose: () => void): Node[] {
  const session = details.session;
  return pane('type-session', 'session', session.session_name ?? '(unnamed session)', onClose, [
    ...(typeof session.error === 'string' ? [errorBox(session.error)] : []),
    sessionFacts(details),
    ...sessionSections(session),
  ]);
}

function eventPane(event: StoredEvent, onClose: () => void): Node[] {
  const type = typeOf(event);
  return pane(typeClass(type), type, eventName(event), onClose, [
    ...(typeof event.error === 'string' ? [errorBox(event.error)] : []),
    eventFacts(event),
    ...eventSections(event),
  ]);
}

/** The selected event or session in the details pane; hides the pane when nothing is selected. */
export function renderDetailsPane(onClose: () => void): void {
  const paneElement = byId('details');
  const details = state.details;
  const session = details?.session.session_id === state.eventId ? details?.session : undefined;
  const event = details?.events.find((candidate) => candidate.event_id === state.eventId);
  const shown = session ?? event;
  document.querySelector('.layout')?.classList.toggle('details-open', shown !== undefined);
  if (shown === undefined) {
    paneElement.hidden = true;
    paneElement.replaceChildren();
    state.detailsText = '';
    return;
  }
  // Unchanged: keep the pane as it is (scroll position, folded sections).
  const text = JSON.stringify(shown);
  if (text === state.detailsText) return;
  state.detailsText = text;
  paneElement.hidden = false;
  paneElement.replaceChildren(
    ...(session !== undefined
      ? sessionPane(details as SessionDetails, onClose)
      : eventPane(event as StoredEvent, onClose)),
  );
}
