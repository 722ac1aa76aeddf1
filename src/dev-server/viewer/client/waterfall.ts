/**
 * The waterfall: the session's event tree, one row per event, each with a bar
 * on a shared time axis. When a session holds several traces, each trace gets
 * a heading row and its events follow it.
 */
import type { SessionDetails, StoredEvent, TreeNode } from '../../types';
import { byId, h } from './dom.js';
import {
  describeTokens,
  durationOf,
  endOf,
  eventName,
  formatCount,
  formatDuration,
  formatTick,
  hasError,
  isNumber,
  modelOf,
  plural,
  tokensOf,
  typeClass,
  typeOf,
  timeRange,
  traceIdOf,
  type TimeRange,
} from './format.js';
import { state } from './state.js';

/** Never zero, so events that all take no time still get a scale. */
const spanOf = (range: TimeRange): number => Math.max(range.end - range.start, 0.001);

/** A round axis step giving at most `count` ticks. */
function tickStep(span: number, count: number): number {
  const rough = span / count;
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  for (const multiple of [1, 2, 2.5, 5]) if (multiple * power >= rough) return multiple * power;
  return 10 * power;
}

/** The axis labels and the rows' grid lines, spaced for the timeline's current width. */
export function renderTimeScale(): void {
  const axis = byId('axis');
  const range = state.details === null ? null : timeRange(state.details.events);
  if (range === null) {
    axis.replaceChildren();
    return;
  }
  const span = spanOf(range);
  const width = axis.clientWidth;
  // A label ("500 ms") needs about 44 px; a hidden or unmeasured axis gets five.
  const step = tickStep(span, width > 0 ? Math.max(2, Math.floor(width / 44)) : 5);
  // No tick so close to the right edge that its label would be cut off.
  const lastTick = span * (width > 0 ? 1 - 48 / width : 0.9);
  const ticks: HTMLElement[] = [];
  for (let index = 0; index * step <= lastTick; index += 1) {
    const tick = h('div', { class: 'axis-tick', text: formatTick(index * step) });
    tick.style.left = `${((index * step) / span) * 100}%`;
    ticks.push(tick);
  }
  axis.replaceChildren(...ticks);
  byId('rows').style.setProperty('--tick', `${(step / span) * 100}%`);
}

interface Trace {
  traceId: string | undefined;
  roots: TreeNode[];
}

/** The top-level events grouped by trace, each trace where its first event starts. */
export function tracesOf(tree: readonly TreeNode[]): Trace[] {
  const traces = new Map<string | undefined, Trace>();
  for (const root of tree) {
    const traceId = traceIdOf(root.event);
    const trace = traces.get(traceId) ?? { traceId, roots: [] };
    trace.roots.push(root);
    traces.set(traceId, trace);
  }
  return [...traces.values()];
}

type Row =
  | { kind: 'event'; event: StoredEvent; depth: number; hasChildren: boolean }
  | { kind: 'trace'; trace: Trace; index: number; count: number };

/** The rows in display order: trace headings when there are several traces, and events skipping the children of folded ones. */
function visibleRows(tree: readonly TreeNode[]): Row[] {
  const rows: Row[] = [];
  const walk = (nodes: readonly TreeNode[], depth: number): void => {
    for (const node of nodes) {
      const hasChildren = node.children.length > 0;
      rows.push({ kind: 'event', event: node.event, depth, hasChildren });
      if (hasChildren && !state.collapsed.has(node.event.event_id)) walk(node.children, depth + 1);
    }
  };
  const traces = tracesOf(tree);
  if (traces.length < 2) walk(tree, 0);
  else
    traces.forEach((trace, index) => {
      rows.push({ kind: 'trace', trace, index, count: traces.length });
      walk(trace.roots, 0);
    });
  return rows;
}

export function renderWaterfall(onSelect: (eventId: string) => void): void {
  const details = state.details as SessionDetails;
  const range = timeRange(details.events);
  renderTimeScale();
  byId('waterfall').classList.toggle('no-tokens', !details.events.some((event) => tokensOf(event) !== undefined));
  const draw = (row: Row): HTMLElement =>
    row.kind === 'trace' ? traceRow(row.trace, row.index, row.count, range) : eventRow(row, range, onSelect);
  byId('rows').replaceChildren(...visibleRows(details.tree).map(draw));
  byId('no-events').hidden = details.tree.length > 0;
}

function toggleButton(event: StoredEvent, hasChildren: boolean, onSelect: (eventId: string) => void): HTMLElement {
  if (!hasChildren) return h('span', { class: 'toggle-spacer' });
  const collapsed = state.collapsed.has(event.event_id);
  return h('button', {
    type: 'button',
    class: 'toggle',
    tabindex: '-1',
    'aria-label': collapsed ? 'expand' : 'collapse',
    text: collapsed ? '▸' : '▾',
    onclick: (click) => {
      click.stopPropagation();
      if (collapsed) state.collapsed.delete(event.event_id);
      else state.collapsed.add(event.event_id);
      renderWaterfall(onSelect);
    },
  });
}

function tokensCell(event: StoredEvent): HTMLElement {
  const tokens = tokensOf(event);
  const cell = h('div', { class: 'cell-tokens' });
  if (tokens === undefined) return cell;
  cell.title = describeTokens(tokens);
  const count = (value: number | undefined): string => (value === undefined ? '?' : formatCount(value));
  const split =
    tokens.prompt !== undefined || tokens.completion !== undefined
      ? `${count(tokens.prompt)} in · ${count(tokens.completion)} out`
      : undefined;
  cell.append(
    tokens.total === undefined ? '' : h('span', { class: 'tokens-total', text: formatCount(tokens.total) }),
    split === undefined ? '' : h('span', { class: 'tokens-split', text: split }),
  );
  return cell;
}

/** A bar from `start` to `end` on the session's time axis. */
function timelineCell(start: number | undefined, end: number, range: TimeRange | null, title: string): HTMLElement {
  const cell = h('div', { class: 'cell-timeline' });
  if (range === null || !isNumber(start)) return cell;
  const span = spanOf(range);
  const left = ((start - range.start) / span) * 100;
  const width = Math.min(((end - start) / span) * 100, 100 - left);
  const bar = h('div', { class: 'bar', title });
  bar.style.left = `${left}%`;
  bar.style.width = `${Math.max(width, 0)}%`;
  cell.append(bar);
  return cell;
}

function eventRow(
  row: { event: StoredEvent; depth: number; hasChildren: boolean },
  range: TimeRange | null,
  onSelect: (eventId: string) => void,
): HTMLElement {
  const { event, depth, hasChildren } = row;
  const type = typeOf(event);
  const error = hasError(event);
  const selected = event.event_id === state.eventId;
  const model = modelOf(event);
  const name = eventName(event);
  const start = event.start_time;
  const element = h(
    'div',
    {
      class: `row ${typeClass(type)}${error ? ' error' : ''}${selected ? ' selected' : ''}`,
      role: 'treeitem',
      tabindex: '0',
      'aria-level': depth + 1,
      'aria-selected': String(selected),
      'aria-expanded': hasChildren ? String(!state.collapsed.has(event.event_id)) : null,
      'data-event-id': event.event_id,
      'data-trace-id': traceIdOf(event),
      'data-depth': depth,
      'data-type': type,
      onclick: () => onSelect(event.event_id),
    },
    h(
      'div',
      { class: 'cell-name' },
      toggleButton(event, hasChildren, onSelect),
      h('span', { class: 'badge', text: type }),
      h('span', { class: 'event-name', text: name, title: name }),
      model !== undefined && model !== name ? h('span', { class: 'event-model', text: model }) : null,
      error ? h('span', { class: 'error-mark', text: '!', title: event.error ?? '' }) : null,
    ),
    h('div', { class: 'cell-duration', text: formatDuration(durationOf(event)) }),
    tokensCell(event),
    timelineCell(
      start,
      isNumber(start) ? endOf({ ...event, start_time: start }) : 0,
      range,
      range === null || !isNumber(start)
        ? ''
        : `${formatDuration(durationOf(event))} from +${formatTick(start - range.start)}`,
    ),
  );
  element.style.setProperty('--depth', String(depth));
  return element;
}

/** The heading of one trace of several: its number, id, event count and extent. */
function traceRow(trace: Trace, index: number, count: number, range: TimeRange | null): HTMLElement {
  const events: StoredEvent[] = [];
  const collect = (nodes: readonly TreeNode[]): void =>
    nodes.forEach((node) => {
      events.push(node.event);
      collect(node.children);
    });
  collect(trace.roots);
  const extent = timeRange(events);
  return h(
    'div',
    { class: 'row trace-head', role: 'presentation', 'data-trace-id': trace.traceId },
    h(
      'div',
      { class: 'cell-name' },
      h('span', { class: 'trace-label', text: `Trace ${index + 1} of ${count}` }),
      h('span', {
        class: 'trace-id',
        text: trace.traceId ?? 'no trace id',
        title: trace.traceId ?? 'these events carry no metadata.trace_id',
      }),
      h('span', { class: 'trace-count', text: plural(events.length, 'event') }),
    ),
    h('div', { class: 'cell-duration', text: extent === null ? '' : formatDuration(extent.end - extent.start) }),
    h('div', { class: 'cell-tokens' }),
    timelineCell(extent?.start, extent?.end ?? 0, range, 'this trace'),
  );
}
