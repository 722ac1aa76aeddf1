/**
 * A session's events as a tree (from `parent_id`), and that tree as text.
 * Computed at read time, never at arrival: exporters usually send children
 * before their parents, so a parent missing now may arrive later.
 */
import type { SessionDetails, StoredEvent, TreeNode } from './types';

export interface TreeAnalysis {
  /** Events whose parent is the session, or missing, or unknown, or that closed a parent loop. */
  roots: TreeNode[];
  /** Events whose parent_id names neither the session nor any of its events. */
  danglingParents: StoredEvent[];
  /** Events whose parents form a loop; each loop is cut at one of its events, which becomes a root. */
  parentCycles: StoredEvent[];
  /** Events more than MAX_TREE_DEPTH parents down, lifted to the top with their descendants. */
  tooDeep: StoredEvent[];
}

/**
 * How many levels the tree shows. Deeper subtrees are lifted to the top, so
 * every copy and rendering of the tree (structuredClone, JSON, the printer)
 * stays well within the stack whatever chain of parents a client sends.
 */
export const MAX_TREE_DEPTH = 100;

/** Lifts every subtree that starts deeper than MAX_TREE_DEPTH to the top; returns the lifted events. */
function liftTooDeep(roots: TreeNode[]): StoredEvent[] {
  const lifted: StoredEvent[] = [];
  const pending: Array<[TreeNode, number]> = roots.map((root) => [root, 1]);
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const [node, depth] = item;
    if (depth < MAX_TREE_DEPTH) {
      for (const child of node.children) pending.push([child, depth + 1]);
      continue;
    }
    for (const child of node.children.splice(0)) {
      roots.push(child);
      lifted.push(child.event);
      pending.push([child, 1]);
    }
  }
  return lifted;
}

/** Earliest start first; events without a start_time after those with one; ties keep arrival order. */
function byStartTime(events: readonly StoredEvent[]): StoredEvent[] {
  const startOf = (event: StoredEvent) => event.start_time ?? Number.POSITIVE_INFINITY;
  return events
    .map((event, arrival) => ({ event, arrival }))
    .sort((a, b) => {
      const [startA, startB] = [startOf(a.event), startOf(b.event)];
      if (startA !== startB) return startA < startB ? -1 : 1;
      return a.arrival - b.arrival;
    })
    .map(({ event }) => event);
}

export function analyseSessionTree(sessionId: string, events: readonly StoredEvent[]): TreeAnalysis {
  // The session's own event (event_id === session_id) is the root itself, not a node.
  const ordered = byStartTime(events.filter((event) => event.event_id !== sessionId));
  const nodes = new Map(ordered.map((event) => [event.event_id, { event, children: [] } as TreeNode]));
  const parentOf = new Map<TreeNode, TreeNode>();
  const roots: TreeNode[] = [];
  const danglingParents: StoredEvent[] = [];

  for (const node of nodes.values()) {
    const parentId = node.event.parent_id;
    const parent = parentId === undefined ? undefined : nodes.get(parentId);
    if (parent !== undefined) {
      parent.children.push(node);
      parentOf.set(node, parent);
      continue;
    }
    if (parentId !== undefined && parentId !== sessionId) danglingParents.push(node.event);
    roots.push(node);
  }

  // Whatever the roots do not reach hangs off a parent loop: cut each loop once.
  const reached = new Set<TreeNode>();
  // A loop, not recursion: a chain of parents may be as long as the session.
  const markReached = (start: TreeNode): void => {
    const pending = [start];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      if (reached.has(node)) continue;
      reached.add(node);
      pending.push(...node.children);
    }
  };
  roots.forEach(markReached);
  const parentCycles: StoredEvent[] = [];
  for (const unreached of nodes.values()) {
    if (reached.has(unreached)) continue;
    // An unreached node always has an (unreached) parent; walking up must revisit a node of the loop.
    const walked = new Set<TreeNode>();
    let node = unreached;
    while (!walked.has(node)) {
      walked.add(node);
      node = parentOf.get(node) ?? node;
    }
    const parent = parentOf.get(node);
    if (parent !== undefined) parent.children.splice(parent.children.indexOf(node), 1);
    roots.push(node);
    parentCycles.push(node.event);
    markReached(node);
  }
  return { roots, danglingParents, parentCycles, tooDeep: liftTooDeep(roots) };
}

export function buildSessionTree(sessionId: string, events: readonly StoredEvent[]): TreeNode[] {
  return analyseSessionTree(sessionId, events).roots;
}

function formatMilliseconds(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

function durationOf(event: StoredEvent): number | undefined {
  if (event.duration !== undefined) return event.duration;
  if (event.start_time !== undefined && event.end_time !== undefined) return event.end_time - event.start_time;
  return undefined;
}

function tokensOf(event: StoredEvent): string | undefined {
  const prompt = event.metadata?.['prompt_tokens'];
  const completion = event.metadata?.['completion_tokens'];
  if (typeof prompt !== 'number' && typeof completion !== 'number') return undefined;
  const show = (count: unknown) => (typeof count === 'number' ? String(count) : '?');
  return `tokens ${show(prompt)}/${show(completion)}`;
}

function firstLine(text: string, maxLength = 120): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > maxLength ? `${line.slice(0, maxLength - 3)}...` : line;
}

/** One event as a line: `model  chat gpt-4o  8.0 ms  tokens 12/34  ERROR: ...`. */
export function formatEventLine(event: StoredEvent): string {
  const model = event.config?.['model'];
  let name = event.event_name ?? '(unnamed)';
  if (typeof model === 'string' && !name.includes(model)) name += ` ${model}`;
  const parts = [event.event_type ?? 'event', name];
  const duration = durationOf(event);
  if (duration !== undefined) parts.push(formatMilliseconds(duration));
  const tokens = tokensOf(event);
  if (tokens !== undefined) parts.push(tokens);
  if (typeof event.error === 'string') parts.push(`ERROR: ${firstLine(event.error)}`);
  return parts.join('  ');
}

function formatNodes(
  nodes: readonly TreeNode[],
  prefix: string,
  isTopLevel: boolean,
  lines: string[],
  notes: Map<string, string>,
): void {
  nodes.forEach((node, index) => {
    const isLast = index === nodes.length - 1;
    const connector = isTopLevel ? '' : isLast ? '└─ ' : '├─ ';
    const note = notes.get(node.event.event_id);
    lines.push(`${prefix}${connector}${formatEventLine(node.event)}${note === undefined ? '' : `  (${note})`}`);
    const childPrefix = isTopLevel ? prefix : prefix + (isLast ? '   ' : '│  ');
    formatNodes(node.children, childPrefix, false, lines, notes);
  });
}

/**
 * A session as an indented text tree, its warnings after it:
 *
 *     session  my-session  <id>  project demo, source dev, 3 events
 *     chain  my-workflow  12.3 ms
 *     ├─ tool  retrieve  2.1 ms
 *     └─ model  chat gpt-4o  8.0 ms  tokens 12/34
 */
export function formatSessionTree(details: SessionDetails): string {
  const { session } = details;
  const facts = [
    session.project === undefined ? undefined : `project ${session.project}`,
    session.source === undefined ? undefined : `source ${session.source}`,
    `${details.events.length} event${details.events.length === 1 ? '' : 's'}`,
    session.duration === undefined ? undefined : formatMilliseconds(session.duration),
    details.started ? undefined : 'never started',
  ].filter((fact) => fact !== undefined);
  // A session started by a session event is named by its event_name.
  const name = session.session_name ?? session.event_name ?? '(unnamed)';
  const lines = [`session  ${name}  ${session.session_id}  ${facts.join(', ')}`];
  const notes = new Map<string, string>();
  for (const warning of details.warnings) {
    if (warning.kind === 'dangling-parent' && warning.event_id !== undefined)
      notes.set(warning.event_id, 'parent not received');
  }
  formatNodes(details.tree, '', true, lines, notes);
  for (const warning of details.warnings) lines.push(`! ${warning.message}`);
  return lines.join('\n');
}
