/** Shared plumbing for the dev-server tests: real HTTP over loopback with the global fetch. */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { startDevServer, type DevServerHandle, type DevServerOptions } from '../../src/dev-server/index';

export const AUTH_HEADERS = { 'content-type': 'application/json', authorization: 'Bearer test-key' };

export interface JsonAnswer {
  status: number;
  headers: Headers;
  // Tests inspect arbitrary answers; narrowing every one would only add noise.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function postJson(
  server: DevServerHandle,
  path: string,
  body: unknown,
  headers: Record<string, string> = AUTH_HEADERS,
): Promise<JsonAnswer> {
  return sendJson('POST', server, path, body, headers);
}

/** Asserts an answer is HoneyHive's error envelope with exactly this status, code and message. */
export function assertError(answer: JsonAnswer, status: number, errorCode: string, message: string): void {
  assert.deepEqual(answer.body, { statusCode: status, message, success: false, errorCode });
  assert.equal(answer.status, status);
}

export async function getJson(server: DevServerHandle, path: string): Promise<JsonAnswer> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A complete, valid event as the exporter would send it. */
export function makeEvent(sessionId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'dev',
    event_name: 'step',
    event_type: 'tool',
    event_id: randomUUID(),
    session_id: sessionId,
    parent_id: sessionId,
    children_ids: [],
    config: {},
    inputs: {},
    outputs: {},
    error: null,
    start_time: 1_700_000_000_000,
    end_time: 1_700_000_000_010,
    duration: 10,
    metadata: {},
    feedback: {},
    metrics: {},
    user_properties: {},
    ...overrides,
  };
}

/** A legacy session start's session, `project` included (the legacy schema takes other fields). */
export function makeSession(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: randomUUID(),
    session_name: 'test-session',
    source: 'dev',
    project: 'demo',
    start_time: 1_700_000_000_000,
    ...overrides,
  };
}

/** A v1 session start's body: `StartSessionRequest` has no `project`. */
export function makeV1Session(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { project: _project, ...session } = makeSession(overrides);
  return session;
}

/** What both session starts answer (`PostSessionStartResponse`) for a session started with these fields. */
export function sessionStartAnswer(session: Record<string, unknown>): Record<string, unknown> {
  return {
    event_id: session['session_id'],
    session_id: session['session_id'],
    parent_id: null,
    children_ids: session['children_ids'] ?? [],
    event_type: 'session',
    event_name: session['event_name'] ?? session['session_name'] ?? 'unknown',
    config: session['config'] ?? {},
    inputs: session['inputs'] ?? {},
    outputs: session['outputs'] ?? {},
    error: null,
    source: session['source'] ?? 'unknown',
    duration: session['duration'] ?? null,
    user_properties: session['user_properties'] ?? {},
    metrics: {},
    feedback: {},
    metadata: session['metadata'] ?? {},
    org_id: 'dev-server-org',
    workspace_id: 'dev-server-workspace',
    project_id: 'dev-server-project',
    start_time: session['start_time'],
    end_time: session['end_time'] ?? null,
  };
}

export function putJson(
  server: DevServerHandle,
  path: string,
  body: unknown,
  headers: Record<string, string> = AUTH_HEADERS,
): Promise<JsonAnswer> {
  return sendJson('PUT', server, path, body, headers);
}

async function sendJson(
  method: 'POST' | 'PUT',
  server: DevServerHandle,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<JsonAnswer> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    // Strings and bytes (a gzip body, say) go as they are; anything else as JSON.
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** Starts a server before each test and closes it after; read `.server` inside tests. */
export function useDevServer(options: DevServerOptions = {}): { server: DevServerHandle } {
  const holder = {} as { server: DevServerHandle };
  beforeEach(async () => {
    holder.server = await startDevServer(options);
  });
  afterEach(async () => {
    await holder.server.close();
  });
  return holder;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` is true, failing after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
