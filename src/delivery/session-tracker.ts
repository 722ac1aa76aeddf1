/**
 * What HoneyHive has of each session, as far as this exporter sent it: whether
 * its event was created (or a request carrying it is in flight), its start and
 * end, and a fingerprint of every value sent, field by field and key by key.
 * From that, the update a later description of the session needs is only what
 * changed, and none when nothing did: resends and retries of the same batch
 * cost no request. Bounded: the least recently used sessions are forgotten (a
 * forgotten session that comes back is sent as a new session event again).
 */
import { sha1 } from '../sha1';
import { BoundedMap } from '../bounded-map';
import type { HoneyHiveSessionEvent, JsonObject, JsonValue, UpdateEventRequest } from '../honeyhive-types';
import { abortableSleep } from '../transport/abortable-sleep';
import type { ApiCall } from '../transport/honeyhive-api';

/** Sessions remembered. */
const MAX_TRACKED_SESSIONS = 10_000;
/** Values remembered per session; beyond, a key not remembered is sent again each time (correct, one request more). */
const MAX_VALUES_PER_SESSION = 1_000;
/** A value's JSON up to this length is its own fingerprint; a longer one is hashed. */
const MAX_PLAIN_FINGERPRINT = 64;

/** The session's object fields an update merges key by key. */
const MERGED_FIELDS = ['metadata', 'user_properties', 'config', 'feedback', 'metrics'] as const;

interface SessionState {
  created: boolean;
  /** True while a request carrying the session's event is in flight. */
  creating: boolean;
  /** Told when that request settles: exports waiting to update the session (most sessions have none). */
  waiting: Array<() => void> | undefined;
  startTime: number;
  endTime: number | undefined;
  /** Fingerprints of the merged fields' values sent: `metadata.<key>`, ... Outputs go with a later end only. */
  sent: Map<string, string>;
}

export class SessionTracker {
  private readonly states = new BoundedMap<string, SessionState>(MAX_TRACKED_SESSIONS);

  /** True when the caller is to send the session's event now: HoneyHive may not have it and no one else is sending it. */
  claimCreation(sessionId: string): boolean {
    const state = this.states.get(sessionId);
    if (state?.created || state?.creating) return false;
    this.states.set(sessionId, {
      created: false,
      creating: true,
      waiting: undefined,
      startTime: 0,
      endTime: undefined,
      sent: new Map(),
    });
    return true;
  }

  /** The request carrying the session's event settled: `created` is the event HoneyHive took, undefined when it failed. */
  settleCreation(sessionId: string, created: HoneyHiveSessionEvent | undefined): void {
    const state = this.states.get(sessionId);
    if (!state) return;
    state.creating = false;
    if (created) {
      state.created = true;
      state.startTime = created.start_time;
      state.endTime = created.end_time;
      for (const field of MERGED_FIELDS) remember(state, field, created[field]);
    }
    const waiting = state.waiting;
    state.waiting = undefined;
    if (waiting) for (const wake of waiting) wake();
  }

  /** True once HoneyHive has taken the session's event from this exporter. */
  isCreated(sessionId: string): boolean {
    return this.states.get(sessionId)?.created ?? false;
  }

  /** Waits for a creation in flight (another export's), at most until the call's deadline. */
  async creationSettled(sessionId: string, call: ApiCall): Promise<void> {
    const state = this.states.get(sessionId);
    if (!state?.creating) return;
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    call.signal?.addEventListener('abort', abort, { once: true });
    const settled = new Promise<void>((resolve) => (state.waiting ??= []).push(resolve));
    try {
      await Promise.race([settled, abortableSleep(Math.max(0, call.deadline - Date.now()), controller.signal)]);
    } finally {
      controller.abort();
      call.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * The update that brings HoneyHive's copy of a created session up to `session`: merged fields' keys whose
   * values changed; a later end (with its duration from the session's start as sent, and the outputs of the root
   * that ended it). Undefined when nothing changed.
   */
  changes(session: HoneyHiveSessionEvent): UpdateEventRequest | undefined {
    const state = this.states.get(session.session_id);
    if (!state) return undefined;
    const update: UpdateEventRequest = {};
    let changed = false;
    for (const field of MERGED_FIELDS) {
      const values = session[field];
      if (values === undefined) continue;
      for (const key of Object.keys(values)) {
        const value = values[key]!;
        if (state.sent.get(`${field}.${key}`) === fingerprint(value)) continue;
        (update[field] ??= {})[key] = value;
        changed = true;
      }
    }
    if (session.end_time !== undefined && (state.endTime === undefined || session.end_time > state.endTime)) {
      update.end_time = session.end_time;
      // From the start HoneyHive has (an update cannot move it), so the two agree.
      update.duration = Math.max(0, session.end_time - state.startTime);
      // A later end is a later root, whose outputs are the session's now.
      if (session.outputs !== undefined) update.outputs = session.outputs;
      changed = true;
    }
    return changed ? update : undefined;
  }

  /** HoneyHive took `update` for the session. */
  recordUpdate(sessionId: string, update: UpdateEventRequest): void {
    const state = this.states.get(sessionId);
    if (!state) return;
    for (const field of MERGED_FIELDS) remember(state, field, update[field]);
    if (update.end_time !== undefined) state.endTime = update.end_time;
  }
}

function remember(state: SessionState, field: string, values: JsonObject | undefined): void {
  if (values === undefined) return;
  for (const key of Object.keys(values)) rememberValue(state, `${field}.${key}`, values[key]!);
}

function rememberValue(state: SessionState, key: string, value: JsonValue): void {
  if (state.sent.size >= MAX_VALUES_PER_SESSION && !state.sent.has(key)) return;
  state.sent.set(key, fingerprint(value));
}

/** Not for security: tells a value sent from a different one. */
function fingerprint(value: JsonValue): string {
  const json = JSON.stringify(value);
  if (json.length <= MAX_PLAIN_FINGERPRINT) return json;
  return sha1(json, 'base64');
}
