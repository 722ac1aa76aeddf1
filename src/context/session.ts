/**
 * Carrying a HoneyHive session through a unit of work from its start, whatever
 * order its spans end and are exported in: {@link withSession} puts a session
 * (and its session-level fields) in the active context, and
 * {@link HoneyHiveSessionSpanProcessor} stamps it (or the parent span's
 * session) on every span as it starts.
 */
import { context, createContextKey, diag, propagation, trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '../otel-sdk';
import { errorMessage } from '../error-message';
import { SESSION_FIELD_PREFIX } from '../transform/session-fields';
import { firstString } from '../transform/span-attributes';
import { PACKAGE_NAME } from '../version';
import { SESSION_ID_ATTRIBUTES, SESSION_NAME_ATTRIBUTES } from '../transform/sessions';

export interface ActiveSession {
  /** A UUID, or any string (mapped to a UUID deterministically). */
  sessionId: string;
  /** Name shown for the session in HoneyHive. */
  sessionName?: string;
  /** What the unit of work was asked: the session's inputs (else its first root span's). */
  inputs?: Record<string, unknown>;
  /** The session's metadata; `run_id`, `dataset_id`, `datapoint_id` link it to an experiment run. */
  metadata?: Record<string, unknown>;
  /** The session's user properties (`user_id`, ...). */
  userProperties?: Record<string, unknown>;
  /** The session's configuration. */
  config?: Record<string, unknown>;
}

/** What the context holds: the session, and its fields already serialised as the attributes stamped on each span. */
interface ContextSession extends ActiveSession {
  fieldAttributes?: Readonly<Record<string, string>>;
}

/** Each session-level option of {@link withSession} and the session field it becomes. */
const SESSION_OPTION_FIELDS = [
  ['inputs', 'inputs'],
  ['metadata', 'metadata'],
  ['userProperties', 'user_properties'],
  ['config', 'config'],
] as const;

const SESSION_CONTEXT_KEY = createContextKey('honeyhive-otel-exporter.session');

/** The baggage entry HoneyHive's Python SDK carries the session in, honoured across process boundaries. */
export const SESSION_BAGGAGE_KEY = 'session_id';

/** The attributes the processor stamps. */
export const SESSION_ID_ATTRIBUTE = 'honeyhive_session_id';
export const SESSION_NAME_ATTRIBUTE = 'honeyhive_session_name';

/** Processors made that stamp sessions on spans; {@link withSession} does nothing without one. */
let sessionStampingProcessors = 0;
let warnedNoStamping = false;

function warnOnceWithoutStamping(): void {
  if (sessionStampingProcessors > 0 || warnedNoStamping) return;
  warnedNoStamping = true;
  diag
    .createComponentLogger({ namespace: PACKAGE_NAME })
    .warn(
      'withSession: no HoneyHiveSpanProcessor (or HoneyHiveSessionSpanProcessor) is registered, so no span is ' +
        'stamped with the session and each trace becomes a session of its own. Register ' +
        'new HoneyHiveSpanProcessor() in your NodeSDK or tracer provider spanProcessors.',
    );
}

/**
 * Runs `fn` (sync or async) inside a session: every span started within it,
 * at any depth, belongs to that session. Returns what `fn` returns.
 *
 * `inputs`, `metadata`, `userProperties` and `config` are the session's own:
 * serialised once here and stamped (the same string) on each span of the
 * session as `honeyhive.session.<field>`, so whichever batch reaches HoneyHive
 * first carries them. Each must be a JSON-serialisable object.
 */
export function withSession<T>(session: string | ActiveSession, fn: () => T): T {
  const value: ContextSession = typeof session === 'string' ? { sessionId: session } : { ...session };
  if (typeof value.sessionId !== 'string' || value.sessionId.trim() === '') {
    throw new TypeError('withSession: sessionId must be a non-empty string');
  }
  const fieldAttributes: Record<string, string> = {};
  for (const [option, field] of SESSION_OPTION_FIELDS) {
    const given = value[option];
    if (given === undefined) continue;
    fieldAttributes[`${SESSION_FIELD_PREFIX}.${field}`] = serializeSessionField(option, given);
  }
  if (Object.keys(fieldAttributes).length > 0) value.fieldAttributes = fieldAttributes;
  warnOnceWithoutStamping();
  return context.with(context.active().setValue(SESSION_CONTEXT_KEY, value), fn);
}

function serializeSessionField(option: string, value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`withSession: ${option} must be an object such as { key: 'value' }`);
  }
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`withSession: ${option} cannot be serialised as JSON (${errorMessage(error)})`);
  }
}

/** The session of a context: set by {@link withSession}, else the `session_id` baggage entry. */
export function getActiveSession(activeContext: Context = context.active()): ActiveSession | undefined {
  const fromContext = activeContext.getValue(SESSION_CONTEXT_KEY) as ContextSession | undefined;
  if (fromContext) {
    const { fieldAttributes: _serialised, ...session } = fromContext;
    return session;
  }
  const fromBaggage = propagation.getBaggage(activeContext)?.getEntry(SESSION_BAGGAGE_KEY)?.value;
  return fromBaggage ? { sessionId: fromBaggage } : undefined;
}

/**
 * Stamps `honeyhive_session_id` (and the name, and the session-level fields
 * {@link withSession} was given) on each span at its start, from the context's
 * session or else its parent span's, unless the span names a session itself.
 * Register it beside the exporter's processor.
 */
export class HoneyHiveSessionSpanProcessor implements SpanProcessor {
  constructor() {
    sessionStampingProcessors++;
  }

  onStart(span: Span, parentContext: Context): void {
    if (firstString(span.attributes, SESSION_ID_ATTRIBUTES) !== undefined) return;
    const fromContext = parentContext.getValue(SESSION_CONTEXT_KEY) as ContextSession | undefined;
    const session = fromContext ?? getActiveSession(parentContext) ?? sessionOfParent(parentContext);
    if (!session) return;
    span.setAttribute(SESSION_ID_ATTRIBUTE, session.sessionId);
    if (session.sessionName !== undefined) span.setAttribute(SESSION_NAME_ATTRIBUTE, session.sessionName);
    const fields = fromContext?.fieldAttributes;
    if (fields) for (const key of Object.keys(fields)) span.setAttribute(key, fields[key]!);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** The parent span's session, when the parent is an SDK span of this process (its attributes are readable). */
function sessionOfParent(parentContext: Context): ActiveSession | undefined {
  const parent = trace.getSpan(parentContext) as Partial<ReadableSpan> | undefined;
  const attributes = parent?.attributes;
  if (!attributes) return undefined;
  const sessionId = firstString(attributes, SESSION_ID_ATTRIBUTES)?.[1];
  if (sessionId === undefined) return undefined;
  const sessionName = firstString(attributes, SESSION_NAME_ATTRIBUTES)?.[1];
  return sessionName === undefined ? { sessionId } : { sessionId, sessionName };
}
