/**
 * The viewer's HTML skeleton. It holds no data: the script fills it from the
 * read-back routes. Element ids here are what the script (and the browser
 * test) look for.
 */
export const VIEWER_HTML: string = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sessions · HoneyHive local server</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/viewer.css">
<script type="module" src="/ui/viewer.js"></script>
</head>
<body>
<header class="topbar">
  <div class="brand"><span class="brand-mark" aria-hidden="true"></span>HoneyHive <span class="brand-sub">local session viewer</span></div>
  <div id="live" class="live" role="status"><span class="live-dot" aria-hidden="true"></span><span id="live-text">connecting…</span></div>
</header>
<div class="layout">
  <aside class="sidebar" aria-label="Sessions">
    <div class="pane-title">Sessions <span id="session-count" class="count"></span></div>
    <div id="dropped" class="dropped" role="note" hidden></div>
    <ul id="session-list" class="session-list"></ul>
    <div id="no-sessions" class="empty" hidden>
      <p><strong>No sessions yet.</strong></p>
      <p>Point an exporter at this server and they appear here as they arrive:</p>
      <pre id="no-sessions-hint" class="hint"></pre>
    </div>
  </aside>
  <main class="main">
    <div id="session-placeholder" class="placeholder">Select a session to see its events.</div>
    <section id="session-view" class="session-view" hidden>
      <div class="session-head">
        <h1 id="session-name"></h1>
        <div id="session-facts" class="facts"></div>
      </div>
      <ul id="warnings" class="warnings" hidden></ul>
      <div class="waterfall" id="waterfall">
        <div class="wf-head">
          <div class="wf-col-name">Event</div>
          <div class="wf-col-duration">Duration</div>
          <div class="wf-col-tokens">Tokens</div>
          <div class="wf-col-timeline"><div id="axis" class="axis"></div></div>
        </div>
        <div id="rows" class="rows" role="tree" aria-label="Events"></div>
        <div id="no-events" class="empty" hidden>This session has no events yet.</div>
      </div>
    </section>
  </main>
  <aside id="details" class="details" aria-label="Event details" hidden></aside>
</div>
</body>
</html>
`;
