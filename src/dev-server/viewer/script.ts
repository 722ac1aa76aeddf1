/**
 * The viewer's browser script, plain JavaScript for any current browser.
 *
 * Event content is untrusted (prompts can hold markup), so every value reaches
 * the page through textContent or a DOM attribute, never through innerHTML;
 * the page's Content-Security-Policy backs that up. It polls the read-back
 * routes every 2 s and re-renders only what changed, keeping the selection
 * (also kept in the URL hash, so a reload comes back to the same place).
 *
 * Kept as a String.raw literal, so backslashes reach the browser as written;
 * the script must contain no backtick and no dollar-brace.
 */
export const VIEWER_SCRIPT = String.raw`'use strict';
(() => {
  const POLL_MS = 2000;
  // Marks the viewer's own requests, so the server neither prints nor logs them.
  const FETCH_OPTIONS = { headers: { 'x-honeyhive-viewer': '1' }, cache: 'no-store' };
  const TYPES = ['model', 'tool', 'chain'];
  const SECTIONS = [
    ['Inputs', 'inputs', true],
    ['Outputs', 'outputs', true],
    ['Config', 'config', true],
    ['Metadata', 'metadata', true],
    ['Metrics', 'metrics', false],
    ['Feedback', 'feedback', false],
    ['User properties', 'user_properties', false],
  ];

  const state = {
    sessionId: null,
    eventId: null,
    /** Events whose children are folded away. */
    collapsed: new Set(),
    /** Detail sections the user closed; they stay closed from event to event. */
    closedSections: new Set(),
    /** Last answers as text: an unchanged answer re-renders nothing. */
    sessionsText: '',
    sessionText: '',
    detailsText: '',
    details: null,
  };

  const byId = (id) => document.getElementById(id);

  /** Builds an element; strings become text nodes, never markup. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = String(value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // ---------------------------------------------------------------- formatting

  const isNumber = (value) => typeof value === 'number' && Number.isFinite(value);
  const hasError = (event) => typeof event.error === 'string';
  const plural = (count, word) => count + ' ' + word + (count === 1 ? '' : 's');
  const typeOf = (event) => (typeof event.event_type === 'string' ? event.event_type : 'event');
  const typeClass = (type) => 'type-' + (TYPES.includes(type) ? type : 'other');
  const formatCount = (count) => count.toLocaleString('en-US');

  function formatDuration(ms) {
    if (!isNumber(ms)) return '';
    if (ms < 1) return ms.toFixed(2) + ' ms';
    if (ms < 1000) return ms.toFixed(1) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + ' s';
    return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }

  /** For axis labels: no trailing zeros. */
  function formatTick(ms) {
    if (ms === 0) return '0';
    return ms < 1000 ? Number(ms.toFixed(3)) + ' ms' : Number((ms / 1000).toFixed(3)) + ' s';
  }

  const pad = (number, width) => String(number).padStart(width || 2, '0');

  /** Local time, 24-hour: 09:30:00. */
  function formatClock(epochMs) {
    const date = new Date(epochMs);
    return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds());
  }

  /** Local date and time to the millisecond: 2026-01-01 09:30:00.850. */
  function formatDateTime(epochMs) {
    const date = new Date(epochMs);
    const day = date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate());
    return day + ' ' + formatClock(epochMs) + '.' + pad(date.getMilliseconds(), 3);
  }

  function durationOf(event) {
    if (isNumber(event.duration)) return event.duration;
    if (isNumber(event.start_time) && isNumber(event.end_time)) return event.end_time - event.start_time;
    return undefined;
  }

  function endOf(event) {
    if (isNumber(event.end_time)) return event.end_time;
    return event.start_time + (durationOf(event) || 0);
  }

  /** Token counts from metadata, as HoneyHive reads them; undefined when there are none. */
  function tokensOf(event) {
    const metadata = event.metadata || {};
    const prompt = isNumber(metadata.prompt_tokens) ? metadata.prompt_tokens : undefined;
    const completion = isNumber(metadata.completion_tokens) ? metadata.completion_tokens : undefined;
    let total = isNumber(metadata.total_tokens) ? metadata.total_tokens : undefined;
    if (prompt === undefined && completion === undefined && total === undefined) return undefined;
    if (total === undefined && prompt !== undefined && completion !== undefined) total = prompt + completion;
    return { prompt, completion, total };
  }

  function describeTokens(tokens) {
    const parts = [];
    if (tokens.prompt !== undefined) parts.push('prompt ' + formatCount(tokens.prompt));
    if (tokens.completion !== undefined) parts.push('completion ' + formatCount(tokens.completion));
    if (tokens.total !== undefined) parts.push('total ' + formatCount(tokens.total));
    return parts.join(' · ');
  }

  function modelOf(event) {
    const model = event.config && event.config.model;
    return typeof model === 'string' ? model : undefined;
  }

  // ---------------------------------------------------------------- data

  async function getAnswer(path) {
    const response = await fetch(path, FETCH_OPTIONS);
    return { status: response.status, text: await response.text() };
  }

  /** One refresh at a time, in order: a slow poll never overwrites a newer click. */
  let queue = Promise.resolve();
  function refresh() {
    queue = queue.then(refreshNow, refreshNow);
    return queue;
  }

  async function refreshNow() {
    try {
      const list = await getAnswer('/sessions');
      if (list.status !== 200) throw new Error('GET /sessions answered ' + list.status);
      if (list.text !== state.sessionsText) {
        state.sessionsText = list.text;
        renderSessionList(JSON.parse(list.text).sessions);
      }
      const sessionId = state.sessionId;
      if (sessionId !== null) {
        const one = await getAnswer('/sessions/' + encodeURIComponent(sessionId));
        if (sessionId === state.sessionId && one.text !== state.sessionText) {
          state.sessionText = one.text;
          if (one.status === 200) renderSession(JSON.parse(one.text));
          else renderMissingSession(sessionId);
        }
      }
      setLive(true);
    } catch (error) {
      setLive(false);
    }
  }

  function setLive(ok) {
    const live = byId('live');
    live.classList.toggle('ok', ok);
    live.classList.toggle('down', !ok);
    byId('live-text').textContent = ok ? 'Live · updated ' + formatClock(Date.now()) : 'Server unreachable · retrying';
  }

  function poll() {
    const next = document.hidden ? Promise.resolve() : refresh();
    next.then(() => setTimeout(poll, POLL_MS));
  }

  // ---------------------------------------------------------------- selection

  function readHash() {
    const params = new URLSearchParams(location.hash.slice(1));
    state.sessionId = params.get('session');
    state.eventId = params.get('event');
  }

  function writeHash() {
    const params = new URLSearchParams();
    if (state.sessionId !== null) params.set('session', state.sessionId);
    if (state.eventId !== null) params.set('event', state.eventId);
    const hash = params.toString();
    history.replaceState(null, '', hash === '' ? location.pathname : '#' + hash);
  }

  function selectSession(sessionId) {
    if (sessionId === state.sessionId) return;
    state.sessionId = sessionId;
    state.eventId = null;
    state.collapsed.clear();
    state.sessionText = '';
    state.details = null;
    writeHash();
    for (const item of document.querySelectorAll('.session-item')) {
      const selected = item.dataset.sessionId === sessionId;
      item.classList.toggle('selected', selected);
      if (selected) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
    renderDetailsPane();
    refresh();
  }

  function selectEvent(eventId) {
    state.eventId = eventId;
    writeHash();
    for (const row of byId('rows').children) {
      const selected = row.dataset.eventId === eventId;
      row.classList.toggle('selected', selected);
      row.setAttribute('aria-selected', String(selected));
    }
    renderDetailsPane();
  }

  // ---------------------------------------------------------------- sessions list

  function renderSessionList(sessions) {
    byId('session-count').textContent = sessions.length > 0 ? String(sessions.length) : '';
    byId('no-sessions').hidden = sessions.length > 0;
    // Newest first: the session just sent is the one to look at.
    byId('session-list').replaceChildren(...sessions.slice().reverse().map(sessionItem));
  }

  function sessionItem(summary) {
    const selected = summary.session_id === state.sessionId;
    const hasTimes = isNumber(summary.start_time) && isNumber(summary.end_time);
    return h('li', null,
      h('button', {
        type: 'button',
        class: 'session-item' + (selected ? ' selected' : ''),
        'data-session-id': summary.session_id,
        'aria-current': selected ? 'true' : null,
        onclick: () => selectSession(summary.session_id),
      },
        h('div', { class: 'session-title' },
          h('span', { class: 'session-title-text', text: summary.session_name === null ? '(unnamed session)' : summary.session_name }),
          summary.error_count > 0 ? h('span', { class: 'pill pill-error', text: plural(summary.error_count, 'error') }) : null,
          summary.warnings_count > 0 ? h('span', { class: 'pill pill-warn', title: 'warnings', text: '! ' + summary.warnings_count }) : null),
        h('div', { class: 'session-sub' },
          h('span', { text: plural(summary.event_count, 'event') }),
          hasTimes ? h('span', { text: '· ' + formatDuration(summary.end_time - summary.start_time) }) : null,
          isNumber(summary.start_time) ? h('span', { text: '· ' + formatClock(summary.start_time) }) : null,
          summary.started ? null : h('span', { class: 'pill pill-muted', text: 'not started' })),
        h('div', { class: 'session-id', text: summary.session_id })));
  }

  // ---------------------------------------------------------------- one session

  function renderMissingSession(sessionId) {
    state.details = null;
    byId('session-view').hidden = true;
    const placeholder = byId('session-placeholder');
    placeholder.hidden = false;
    placeholder.textContent = 'No session ' + sessionId + ' on this server (yet).';
    renderDetailsPane();
  }

  function fact(label, value, mono) {
    return h('span', { class: 'fact' }, label + ' ', h('strong', { class: mono ? 'fact-mono' : null, text: value }));
  }

  function renderSession(details) {
    state.details = details;
    const session = details.session;
    const name = typeof session.session_name === 'string' ? session.session_name : '(unnamed session)';
    document.title = name + ' · HoneyHive local server';
    byId('session-placeholder').hidden = true;
    byId('session-view').hidden = false;
    byId('session-name').textContent = name;

    const errors = details.events.filter(hasError).length;
    const range = timeRange(details.events);
    const facts = [
      fact('Session', session.session_id, true),
      typeof session.project === 'string' ? fact('Project', session.project) : null,
      typeof session.source === 'string' ? fact('Source', session.source) : null,
      fact('Events', String(details.events.length)),
      errors > 0 ? h('span', { class: 'pill pill-error', text: plural(errors, 'error') }) : null,
      range === null ? null : fact('Duration', formatDuration(range.end - range.start)),
      range === null ? null : fact('Started', formatDateTime(range.start)),
      details.started ? null : h('span', { class: 'pill pill-muted', text: 'never started' }),
    ];
    byId('session-facts').replaceChildren(...facts.filter((item) => item !== null));
    const warnings = byId('warnings');
    warnings.hidden = details.warnings.length === 0;
    warnings.replaceChildren(...details.warnings.map((warning) => h('li', { text: warning.message })));
    renderWaterfall();
    renderDetailsPane();
  }

  function timeRange(events) {
    let start = Infinity;
    let end = -Infinity;
    for (const event of events) {
      if (!isNumber(event.start_time)) continue;
      start = Math.min(start, event.start_time);
      end = Math.max(end, endOf(event));
    }
    return start === Infinity ? null : { start, end };
  }

  /** Never zero, so events that all take no time still get a scale. */
  const spanOf = (range) => Math.max(range.end - range.start, 0.001);

  /** A round axis step giving at most count ticks. */
  function tickStep(span, count) {
    const rough = span / count;
    const power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (const multiple of [1, 2, 2.5, 5]) if (multiple * power >= rough) return multiple * power;
    return 10 * power;
  }

  /** The axis labels and the rows' grid lines, spaced for the timeline's current width. */
  function renderTimeScale() {
    const axis = byId('axis');
    const range = state.details === null ? null : timeRange(state.details.events);
    if (range === null) {
      axis.replaceChildren();
      return;
    }
    const span = spanOf(range);
    const width = axis.clientWidth;
    // A label needs about 52 px; a hidden or unmeasured axis gets five.
    const step = tickStep(span, width > 0 ? Math.max(2, Math.floor(width / 52)) : 5);
    // No tick so close to the right edge that its label would be cut off.
    const lastTick = span * (width > 0 ? 1 - 48 / width : 0.9);
    const ticks = [];
    for (let index = 0; index * step <= lastTick; index += 1) {
      const tick = h('div', { class: 'axis-tick', text: formatTick(index * step) });
      tick.style.left = (index * step / span) * 100 + '%';
      ticks.push(tick);
    }
    axis.replaceChildren(...ticks);
    byId('rows').style.setProperty('--tick', (step / span) * 100 + '%');
  }

  /** The tree in display order, skipping the children of folded events. */
  function visibleRows(tree) {
    const rows = [];
    const walk = (nodes, depth) => {
      for (const node of nodes) {
        const hasChildren = node.children.length > 0;
        rows.push({ event: node.event, depth, hasChildren });
        if (hasChildren && !state.collapsed.has(node.event.event_id)) walk(node.children, depth + 1);
      }
    };
    walk(tree, 0);
    return rows;
  }

  function renderWaterfall() {
    const details = state.details;
    const range = timeRange(details.events);
    const span = range === null ? 1 : spanOf(range);
    renderTimeScale();
    const rows = byId('rows');
    byId('waterfall').classList.toggle('no-tokens', !details.events.some((event) => tokensOf(event) !== undefined));
    rows.replaceChildren(...visibleRows(details.tree).map((row) => eventRow(row, range, span)));
    byId('no-events').hidden = details.tree.length > 0;
  }

  function toggleButton(event, hasChildren) {
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
        renderWaterfall();
      },
    });
  }

  function tokensCell(event) {
    const tokens = tokensOf(event);
    const cell = h('div', { class: 'cell-tokens' });
    if (tokens === undefined) return cell;
    cell.title = describeTokens(tokens);
    const split = tokens.prompt !== undefined || tokens.completion !== undefined
      ? (tokens.prompt === undefined ? '?' : formatCount(tokens.prompt)) + ' in · ' + (tokens.completion === undefined ? '?' : formatCount(tokens.completion)) + ' out'
      : null;
    cell.append(
      tokens.total === undefined ? '' : h('span', { class: 'tokens-total', text: formatCount(tokens.total) }),
      split === null ? '' : h('span', { class: 'tokens-split', text: split }),
    );
    return cell;
  }

  function timelineCell(event, range, span) {
    const cell = h('div', { class: 'cell-timeline' });
    if (range === null || !isNumber(event.start_time)) return cell;
    const left = ((event.start_time - range.start) / span) * 100;
    const width = Math.min(((endOf(event) - event.start_time) / span) * 100, 100 - left);
    const bar = h('div', { class: 'bar', title: formatDuration(durationOf(event)) + ' from +' + formatTick(event.start_time - range.start) });
    bar.style.left = left + '%';
    bar.style.width = Math.max(width, 0) + '%';
    cell.append(bar);
    return cell;
  }

  function eventRow(row, range, span) {
    const { event, depth, hasChildren } = row;
    const type = typeOf(event);
    const error = hasError(event);
    const selected = event.event_id === state.eventId;
    const model = modelOf(event);
    const name = typeof event.event_name === 'string' ? event.event_name : '(unnamed)';
    const element = h('div', {
      class: 'row ' + typeClass(type) + (error ? ' error' : '') + (selected ? ' selected' : ''),
      role: 'treeitem',
      tabindex: '0',
      'aria-level': depth + 1,
      'aria-selected': String(selected),
      'aria-expanded': hasChildren ? String(!state.collapsed.has(event.event_id)) : null,
      'data-event-id': event.event_id,
      'data-depth': depth,
      'data-type': type,
      onclick: () => selectEvent(event.event_id),
    },
      h('div', { class: 'cell-name' },
        toggleButton(event, hasChildren),
        h('span', { class: 'badge', text: type }),
        h('span', { class: 'event-name', text: name, title: name }),
        model !== undefined && model !== name ? h('span', { class: 'event-model', text: model }) : null,
        error ? h('span', { class: 'error-mark', text: '!', title: event.error }) : null),
      h('div', { class: 'cell-duration', text: formatDuration(durationOf(event)) }),
      tokensCell(event),
      timelineCell(event, range, span));
    element.style.setProperty('--depth', String(depth));
    return element;
  }

  function moveSelection(offset) {
    const rows = [...byId('rows').children];
    const index = rows.findIndex((row) => row.dataset.eventId === state.eventId);
    const next = rows[Math.min(Math.max(index + offset, 0), rows.length - 1)];
    if (next === undefined) return;
    selectEvent(next.dataset.eventId);
    next.focus();
  }

  // ---------------------------------------------------------------- details pane

  /** Appends a value as indented JSON, each token in its own coloured span (text only). */
  function appendJson(parent, value, depth) {
    const indent = '  '.repeat(depth);
    if (value === null || typeof value === 'boolean') {
      parent.append(h('span', { class: 'j-lit', text: String(value) }));
    } else if (typeof value === 'number') {
      parent.append(h('span', { class: 'j-num', text: String(value) }));
    } else if (typeof value === 'string') {
      parent.append(h('span', { class: 'j-str', text: JSON.stringify(value) }));
    } else if (Array.isArray(value)) {
      if (value.length === 0) return parent.append('[]');
      parent.append('[\n');
      value.forEach((item, index) => {
        parent.append(indent + '  ');
        appendJson(parent, item, depth + 1);
        parent.append(index < value.length - 1 ? ',\n' : '\n');
      });
      parent.append(indent + ']');
    } else {
      const entries = Object.entries(value);
      if (entries.length === 0) return parent.append('{}');
      parent.append('{\n');
      entries.forEach(([key, item], index) => {
        parent.append(indent + '  ', h('span', { class: 'j-key', text: JSON.stringify(key) }), ': ');
        appendJson(parent, item, depth + 1);
        parent.append(index < entries.length - 1 ? ',\n' : '\n');
      });
      parent.append(indent + '}');
    }
  }

  function isEmpty(value) {
    if (value === undefined || value === null) return true;
    if (Array.isArray(value)) return value.length === 0;
    return typeof value === 'object' && Object.keys(value).length === 0;
  }

  function sizeOf(value) {
    if (Array.isArray(value)) return plural(value.length, 'item');
    if (value !== null && typeof value === 'object') return plural(Object.keys(value).length, 'key');
    return typeof value;
  }

  function copyButton(value) {
    if (!navigator.clipboard) return null;
    const button = h('button', { type: 'button', class: 'copy', text: 'Copy' });
    button.addEventListener('click', (click) => {
      click.preventDefault(); // the button sits in the summary: do not fold the section
      navigator.clipboard.writeText(JSON.stringify(value, null, 2)).then(() => {
        button.textContent = 'Copied';
        setTimeout(() => (button.textContent = 'Copy'), 1200);
      });
    });
    return button;
  }

  function section(title, key, value) {
    const empty = isEmpty(value);
    const body = empty ? h('div', { class: 'json-empty', text: 'empty' }) : h('pre', { class: 'json' });
    if (!empty) appendJson(body, value, 0);
    const details = h('details', { class: 'section', 'data-section': key, open: !state.closedSections.has(key) },
      h('summary', null, title, h('span', { class: 'section-size', text: empty ? '' : sizeOf(value) }), empty ? null : copyButton(value)),
      body);
    details.addEventListener('toggle', () => {
      if (details.open) state.closedSections.delete(key);
      else state.closedSections.add(key);
    });
    return details;
  }

  function keyValues(event) {
    const pairs = [];
    const add = (label, value, mono) => pairs.push(h('dt', { text: label }), h('dd', { class: mono ? 'mono' : null, text: value }));
    const duration = durationOf(event);
    if (duration !== undefined) add('Duration', formatDuration(duration));
    if (isNumber(event.start_time)) add('Started', formatDateTime(event.start_time));
    const tokens = tokensOf(event);
    if (tokens !== undefined) add('Tokens', describeTokens(tokens));
    const model = modelOf(event);
    if (model !== undefined) add('Model', model);
    add('Event ID', event.event_id, true);
    if (typeof event.parent_id === 'string') add('Parent', event.parent_id === event.session_id ? 'the session' : event.parent_id, event.parent_id !== event.session_id);
    if (Array.isArray(event.children_ids)) add('Children', String(event.children_ids.length));
    if (typeof event.source === 'string') add('Source', event.source);
    return h('dl', { class: 'kv' }, pairs);
  }

  function closeDetails() {
    selectEvent(null);
  }

  function renderDetailsPane() {
    const pane = byId('details');
    const event = state.details === null || state.eventId === null
      ? undefined
      : state.details.events.find((candidate) => candidate.event_id === state.eventId);
    if (event === undefined) {
      pane.hidden = true;
      pane.replaceChildren();
      state.detailsText = '';
      return;
    }
    // Unchanged: keep the pane as it is (scroll position, folded sections).
    const text = JSON.stringify(event);
    if (text === state.detailsText) return;
    state.detailsText = text;
    const type = typeOf(event);
    pane.hidden = false;
    pane.replaceChildren(
      h('div', { class: 'details-head' },
        h('div', { class: 'details-title' },
          h('span', { class: 'badge ' + typeClass(type), text: type }),
          h('h2', { id: 'details-name', text: typeof event.event_name === 'string' ? event.event_name : '(unnamed)' }),
          h('button', { type: 'button', class: 'close', 'aria-label': 'close details', text: '×', onclick: closeDetails }))),
      h('div', { class: 'details-body' },
        hasError(event) ? h('div', { class: 'error-box' }, h('div', { class: 'label', text: 'Error' }), h('pre', { text: event.error })) : null,
        keyValues(event),
        SECTIONS.filter(([, key, always]) => always || !isEmpty(event[key])).map(([title, key]) => section(title, key, event[key]))));
  }

  // ---------------------------------------------------------------- start

  function start() {
    readHash();
    byId('no-sessions-hint').textContent = 'HH_API_URL=' + location.origin + ' \\\n  HH_API_KEY=anything \\\n  node your-app.js';
    byId('rows').addEventListener('keydown', (key) => {
      if (key.key === 'ArrowDown' || key.key === 'ArrowUp') {
        key.preventDefault();
        moveSelection(key.key === 'ArrowDown' ? 1 : -1);
      } else if (key.key === 'Enter' && key.target.dataset.eventId !== undefined) {
        selectEvent(key.target.dataset.eventId);
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
      refresh();
    });
    // The details pane opening or the window resizing changes the timeline's width.
    new ResizeObserver(renderTimeScale).observe(byId('axis'));
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) refresh();
    });
    poll();
  }

  start();
})();
`;
