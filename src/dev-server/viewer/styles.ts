/** The viewer's stylesheet: a sessions sidebar, a waterfall of events, a details pane. */
export const VIEWER_CSS: string = `
:root {
  --bg: #f6f7f9;
  --panel: #ffffff;
  --line: #e4e7ec;
  --grid-line: #eef0f3;
  --text: #1d2433;
  --muted: #667085;
  --faint: #98a2b3;
  --accent: #f5a524;
  --accent-soft: #fff6e5;
  --model: #7c3aed;
  --model-soft: #f1ebfe;
  --tool: #0d9488;
  --tool-soft: #e0f5f2;
  --chain: #2563eb;
  --chain-soft: #e6eefe;
  --other: #64748b;
  --other-soft: #eef1f5;
  --error: #dc2626;
  --error-soft: #fdeeee;
  --warn: #b45309;
  --warn-soft: #fff7e0;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font: 13px/1.45 var(--sans); color: var(--text); background: var(--bg); display: flex; flex-direction: column; }
[hidden] { display: none !important; }
button { font: inherit; color: inherit; }

.topbar { height: 48px; flex: none; display: flex; align-items: center; justify-content: space-between; padding: 0 18px;
  background: #151a23; color: #f2f4f7; }
.brand { font-weight: 650; font-size: 14px; display: flex; align-items: center; gap: 10px; letter-spacing: .01em; }
.brand-mark { width: 16px; height: 16px; border-radius: 4px; transform: rotate(45deg);
  background: linear-gradient(135deg, #ffd27a, var(--accent)); box-shadow: 0 0 0 3px rgba(245,165,36,.18); }
.brand-sub { font-weight: 400; color: #a9b1bf; }
.live { display: flex; align-items: center; gap: 8px; color: #c6ccd6; font-size: 12px; }
.live-dot { width: 8px; height: 8px; border-radius: 50%; background: #8a93a3; }
.live.ok .live-dot { background: #22c55e; box-shadow: 0 0 0 3px rgba(34,197,94,.2); }
.live.down { color: #fca5a5; }
.live.down .live-dot { background: var(--error); }

.layout { flex: 1; min-height: 0; display: flex; }
.sidebar { width: 280px; flex: none; background: var(--panel); border-right: 1px solid var(--line); overflow-y: auto; }
.main { flex: 1; min-width: 0; overflow: auto; }
.details { width: 440px; flex: none; background: var(--panel); border-left: 1px solid var(--line); overflow-y: auto; }

.pane-title { position: sticky; top: 0; z-index: 1; background: var(--panel); padding: 14px 16px 10px; font-size: 11px; font-weight: 650;
  text-transform: uppercase; letter-spacing: .06em; color: var(--muted); border-bottom: 1px solid var(--line); }
.count { color: var(--faint); font-weight: 500; margin-left: 4px; }
.session-list { list-style: none; margin: 0; padding: 6px; }
.session-item { display: block; width: 100%; text-align: left; border: 0; background: none; cursor: pointer; border-radius: 8px;
  padding: 9px 10px 9px 12px; margin-bottom: 2px; position: relative; }
.session-item:hover { background: #f4f5f7; }
.session-item.selected { background: var(--accent-soft); box-shadow: inset 3px 0 0 var(--accent); }
.session-item:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.session-title { font-weight: 600; display: flex; align-items: center; gap: 6px; min-width: 0; }
.session-title-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.session-sub { color: var(--muted); font-size: 12px; margin-top: 2px; display: flex; gap: 6px; flex-wrap: wrap; }
.session-id { font: 11px var(--mono); color: var(--faint); margin-top: 2px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.pill { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px; border-radius: 999px; line-height: 17px; white-space: nowrap; flex: none; }
.pill-error { background: var(--error-soft); color: var(--error); }
.pill-warn { background: var(--warn-soft); color: var(--warn); }
.pill-muted { background: var(--other-soft); color: var(--other); }

.dropped { margin: 8px 8px 0; padding: 6px 10px; border-radius: 6px; background: var(--warn-soft); color: #7a4a06; font-size: 12px; }
.empty { color: var(--muted); padding: 16px; }
.empty p { margin: 0 0 8px; }
.hint { font: 11.5px/1.5 var(--mono); background: #f4f5f7; border: 1px solid var(--line); border-radius: 6px; padding: 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
.placeholder { color: var(--muted); display: flex; align-items: center; justify-content: center; height: 100%; font-size: 14px; }

.session-view { padding: 20px 22px 28px; }
.session-head h1 { margin: 0; font-size: 19px; font-weight: 650; letter-spacing: -.01em; word-break: break-word; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 16px; color: var(--muted); margin-top: 6px; }
.fact strong { color: var(--text); font-weight: 600; }
.fact-mono { font-family: var(--mono); font-size: 12px; }
.warnings { list-style: none; margin: 14px 0 0; padding: 10px 12px; background: var(--warn-soft); border: 1px solid #f6dfa6; border-radius: 8px; color: #7a4a06; }
.warnings li { padding: 2px 0 2px 18px; position: relative; word-break: break-word; }
.warnings li::before { content: "!"; position: absolute; left: 2px; font-weight: 700; }

.waterfall { margin-top: 16px; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow-x: auto;
  box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.wf-head, .row { display: grid; grid-template-columns: minmax(240px, 1.5fr) 76px 148px minmax(140px, 1.5fr); align-items: center; }
/* Sessions without token counts give the tokens column to the timeline. */
.waterfall.no-tokens .wf-head, .waterfall.no-tokens .row { grid-template-columns: minmax(240px, 1.5fr) 76px minmax(140px, 1.8fr); }
.waterfall.no-tokens .wf-col-tokens, .waterfall.no-tokens .cell-tokens { display: none; }
.wf-head { height: 32px; background: #fafbfc; border-bottom: 1px solid var(--line); font-size: 11px; font-weight: 650; color: var(--muted);
  text-transform: uppercase; letter-spacing: .05em; }
.wf-head > div { padding: 0 10px; }
.wf-head .wf-col-duration, .row .cell-duration { text-align: right; }
.wf-head > .wf-col-timeline { padding: 0; height: 100%; }
.axis { position: relative; height: 100%; margin: 0 10px; }
.axis-tick { position: absolute; top: 0; bottom: 0; border-left: 1px solid var(--line); padding: 9px 0 0 4px; font: 500 10.5px var(--mono);
  text-transform: none; letter-spacing: 0; color: var(--faint); white-space: nowrap; }

.row { min-height: 32px; border-bottom: 1px solid #f1f2f5; cursor: pointer; }
.row:last-child { border-bottom: 0; }
.row:hover { background: #f8f9fb; }
.row:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
.row.selected { background: var(--accent-soft); box-shadow: inset 3px 0 0 var(--accent); }
.row.error { background: #fff8f8; }
.row.error.selected { background: var(--error-soft); box-shadow: inset 3px 0 0 var(--error); }
.cell-name { display: flex; align-items: center; gap: 7px; min-width: 0; padding: 0 10px 0 calc(8px + var(--depth, 0) * 20px); position: relative; }
.cell-name::before { content: ""; position: absolute; top: 0; bottom: 0; left: calc(15px + (var(--depth, 0) - 1) * 20px); border-left: 1px dashed #d5d9e0; }
.row[data-depth="0"] .cell-name::before { display: none; }
.toggle { width: 16px; height: 16px; flex: none; border: 0; background: none; padding: 0; cursor: pointer; color: var(--muted); border-radius: 4px;
  display: inline-flex; align-items: center; justify-content: center; font-size: 10px; }
.toggle:hover { background: #e9ebef; }
.toggle-spacer { width: 16px; flex: none; }
.event-name { flex: 0 1 auto; min-width: 40px; font-weight: 550; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
/* Takes only the room the name leaves, so the model name gives way first. */
.event-model { flex: 1 1 0; min-width: 0; color: var(--muted); font-size: 12px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.row.error .event-name { color: var(--error); }
.error-mark { flex: none; width: 16px; height: 16px; border-radius: 50%; background: var(--error); color: #fff; font-weight: 700; font-size: 11px;
  display: inline-flex; align-items: center; justify-content: center; }
.cell-duration { padding: 0 10px; font: 12px var(--mono); color: var(--text); white-space: nowrap; }
.cell-tokens { padding: 0 10px; font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.tokens-total { font-family: var(--mono); font-weight: 600; }
.tokens-split { color: var(--muted); margin-left: 6px; font-size: 11.5px; }
.cell-timeline { position: relative; align-self: stretch; margin: 0 10px; min-height: 32px;
  background-image: linear-gradient(to right, var(--grid-line) 1px, transparent 1px); background-size: var(--tick, 25%) 100%; }
.bar { position: absolute; top: 50%; height: 12px; margin-top: -6px; min-width: 3px; border-radius: 3px; }
.bar.untimed { display: none; }

.badge { flex: none; font-size: 10px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; padding: 0 6px; border-radius: 4px; line-height: 18px; }
.type-model .badge, .badge.type-model { background: var(--model-soft); color: var(--model); }
.type-tool .badge, .badge.type-tool { background: var(--tool-soft); color: var(--tool); }
.type-chain .badge, .badge.type-chain { background: var(--chain-soft); color: var(--chain); }
.type-other .badge, .badge.type-other { background: var(--other-soft); color: var(--other); }
.type-model .bar { background: var(--model); }
.type-tool .bar { background: var(--tool); }
.type-chain .bar { background: var(--chain); }
.type-other .bar { background: var(--other); }
.row.error .bar { background: repeating-linear-gradient(135deg, var(--error) 0 6px, #ef4444 6px 12px); }

.details-head { position: sticky; top: 0; z-index: 1; background: var(--panel); border-bottom: 1px solid var(--line); padding: 14px 16px 12px; }
.details-title { display: flex; align-items: center; gap: 8px; }
.details-title h2 { margin: 0; font-size: 15px; font-weight: 650; flex: 1; min-width: 0; word-break: break-word; }
.close { border: 0; background: none; cursor: pointer; font-size: 18px; line-height: 1; color: var(--muted); padding: 2px 6px; border-radius: 6px; }
.close:hover { background: #f1f2f5; color: var(--text); }
.details-body { padding: 12px 16px 24px; }
.error-box { background: var(--error-soft); border: 1px solid #f7c8c8; color: #991b1b; border-radius: 8px; padding: 10px 12px; margin-bottom: 12px; }
.error-box .label { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; margin-bottom: 4px; }
.error-box pre { margin: 0; font: 12px/1.5 var(--mono); white-space: pre-wrap; word-break: break-word; }
.kv { display: grid; grid-template-columns: 100px 1fr; gap: 5px 12px; margin: 0 0 14px; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; min-width: 0; word-break: break-all; }
.kv .mono { font: 12px var(--mono); }
.section { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 10px; overflow: hidden; }
.section > summary { list-style: none; cursor: pointer; padding: 8px 12px; background: #fafbfc; font-weight: 600; display: flex; align-items: center; gap: 8px; }
.section > summary::-webkit-details-marker { display: none; }
.section > summary::before { content: "▸"; color: var(--muted); font-size: 11px; width: 10px; }
.section[open] > summary::before { content: "▾"; }
.section[open] > summary { border-bottom: 1px solid var(--line); }
.section-size { color: var(--faint); font-weight: 500; font-size: 12px; flex: 1; }
.copy { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; font-size: 11px; padding: 1px 8px; cursor: pointer; color: var(--muted); }
.copy:hover { color: var(--text); border-color: #cfd4dc; }
.json { margin: 0; padding: 10px 12px; font: 12px/1.55 var(--mono); white-space: pre-wrap; word-break: break-word; max-height: 420px; overflow: auto; }
.json-empty { padding: 10px 12px; color: var(--faint); font-style: italic; }
.j-key { color: #1e40af; }
.j-str { color: #047857; }
.j-num { color: #b45309; }
.j-lit { color: #9333ea; }
.raw-toggle { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; font-size: 11px; padding: 1px 8px; cursor: pointer; color: var(--muted); }
.raw-toggle:hover { color: var(--text); border-color: #cfd4dc; }

/* Chat messages, as HoneyHive's Chat History view shows them. */
.chat { padding: 10px 12px; display: flex; flex-direction: column; gap: 8px; }
.message { border: 1px solid var(--line); border-left: 3px solid var(--other); border-radius: 6px; padding: 6px 10px 8px; background: #fcfcfd; min-width: 0; }
.message-head { display: flex; align-items: center; gap: 8px; margin-bottom: 3px; min-width: 0; }
.message-role { font-size: 10.5px; font-weight: 700; letter-spacing: .05em; text-transform: uppercase; color: var(--other); }
.message-name { font: 600 12px var(--mono); color: var(--text); }
.message-ref, .tool-call-id { font: 11px var(--mono); color: var(--faint); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.message-finish { margin-left: auto; font-size: 11px; color: var(--faint); }
.message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.message .json { padding: 4px 0 0; max-height: 260px; }
.message-reasoning summary { cursor: pointer; color: var(--muted); font-size: 12px; }
.message-reasoning .message-text { color: var(--muted); font-style: italic; }
.role-system { border-left-color: #94a3b8; background: #f8fafc; }
.role-system .message-role { color: #475569; }
.role-user { border-left-color: var(--chain); }
.role-user .message-role { color: var(--chain); }
.role-assistant { border-left-color: var(--model); }
.role-assistant .message-role { color: var(--model); }
.role-tool { border-left-color: var(--tool); }
.role-tool .message-role { color: var(--tool); }
.tool-call { margin-top: 6px; border: 1px dashed #c9ced8; border-radius: 6px; padding: 4px 8px 6px; background: var(--panel); }
.tool-call-head { display: flex; align-items: center; gap: 8px; min-width: 0; }
.tool-call-label { font-size: 10px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--tool); }
.tool-call-name { font: 600 12px var(--mono); }
.chat-rest { border-top: 1px solid var(--line); }

/* Several traces in one session: each starts under its own heading row. */
.row.trace-head { min-height: 28px; cursor: default; background: #f7f8fa; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.row.trace-head:first-child { border-top: 0; }
.row.trace-head:hover { background: #f7f8fa; }
.trace-head .cell-name { padding-left: 10px; gap: 8px; }
.trace-head .cell-name::before { display: none; }
.trace-label { font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); white-space: nowrap; }
.trace-id { font: 11px var(--mono); color: var(--faint); min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.trace-count { color: var(--faint); font-size: 11.5px; white-space: nowrap; }
.trace-head .cell-duration { color: var(--muted); }
.trace-head .bar { height: 4px; margin-top: -2px; background: #c3c9d4; border-radius: 2px; }

.badge.type-session { background: var(--accent-soft); color: #a16207; }
.fact.derived strong { font-weight: 500; }
.session-open { border: 1px solid var(--line); background: var(--panel); border-radius: 6px; font-size: 12px; padding: 0 8px; cursor: pointer; color: var(--text); }
.session-open:hover { border-color: var(--accent); }

@media (max-width: 1360px) {
  .sidebar { width: 240px; }
  .details { width: 380px; }
}
/* With the details pane open, the tree and the time axis keep their room: a
   narrower sidebar, token totals only (the split stays in the tooltip). */
.layout.details-open .sidebar { width: 220px; }
.layout.details-open .session-view { padding: 16px 16px 24px; }
.layout.details-open .wf-head, .layout.details-open .row { grid-template-columns: minmax(220px, 1.5fr) 72px 68px minmax(160px, 1.5fr); }
.layout.details-open .waterfall.no-tokens .wf-head, .layout.details-open .waterfall.no-tokens .row { grid-template-columns: minmax(220px, 1.5fr) 72px minmax(160px, 1.7fr); }
.layout.details-open .tokens-split { display: none; }
`;
