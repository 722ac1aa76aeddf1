/**
 * One export, end to end, under one deadline: transform the spans, prepare
 * the events (content, mask, truncation), in slices that give the app's event
 * loop a turn every few milliseconds, hold them within the memory bound,
 * send each session's events, and keep what could not be delivered in the
 * spool (or count it lost). Failures are recorded in the flush window; the
 * {@link ExportTracker} follows the exports in flight and cancels them.
 */
import type { DiagLogger } from '@opentelemetry/api';
import { errorMessage } from '../error-message';
import { ExportResultCode, type ExportResult } from '../otel-sdk';
import { Semaphore } from '../semaphore';
import { SlicedRun } from '../steps';
import { transformInSteps, type ExportableSpan, type SessionGroup, type TransformOptions } from '../transform';
import {
  prepareEventsInSteps,
  prepareSessionEvent,
  type PreparationOptions,
  type PreparedEvents,
} from './event-preparation';
import type { ExportTicket } from './export-tracker';
import type { FlushWindow } from './flush-window';
import { estimateEventBytes, type MemoryBudget } from './memory-budget';
import type { SessionBatch, SessionReport, SessionSender } from './session-sender';
import type { Spool } from './spool';
import type { StatsRecorder } from './stats';

export interface ExportPipelineParts {
  transform: TransformOptions;
  preparation: PreparationOptions;
  /** Send each session's own event (created with its first events, completed as its roots end). */
  createSessions: boolean;
  sender: SessionSender;
  spool: Spool | undefined;
  budget: MemoryBudget;
  stats: StatsRecorder;
  log: DiagLogger;
  /** Where each export's failures are recorded, for the next flush's report. */
  window: FlushWindow;
  exportTimeoutMillis: number;
}

/** An export let in by the memory bound, with its events and what it holds; or refused, with its estimate. */
type Admission = { admitted: true; batches: SessionBatch[]; reserved: number } | { admitted: false; estimate: number };

/** Most distinct error messages joined into one export error. */
const MAX_MESSAGES_PER_EXPORT = 5;

export class ExportPipeline {
  /** Exports shed to the spool, in turn. */
  private shedding: Promise<void> = Promise.resolve();
  /** One export at a time transforms and prepares (see admit). */
  private readonly turns = new Semaphore(1);
  /** Why masks failed, each warned about once (then at debug): a broken mask fails on every event. */
  private readonly maskFailuresWarned = new Set<string>();

  constructor(private readonly parts: ExportPipelineParts) {}

  /** Runs one export, keeping `ticket.events` up to date; resolves (never rejects) with its result. */
  run(spans: readonly ExportableSpan[], ticket: ExportTicket): Promise<ExportResult> {
    return this.export(spans, ticket).catch((error: unknown): ExportResult => {
      const message = `export failed: ${errorMessage(error)}`;
      this.parts.window.recordError(message);
      return { code: ExportResultCode.FAILED, error: new Error(message) };
    });
  }

  private async export(spans: readonly ExportableSpan[], ticket: ExportTicket): Promise<ExportResult> {
    if (!Array.isArray(spans) || spans.length === 0) return { code: ExportResultCode.SUCCESS };
    const deadline = Date.now() + this.parts.exportTimeoutMillis;
    this.parts.stats.add('spansReceived', spans.length);

    const admission = await this.admit(spans);
    if (!admission.admitted) return this.shed(spans, admission.estimate, deadline, ticket.signal);
    const { batches, reserved } = admission;
    try {
      ticket.events = batches.reduce((sum, batch) => sum + batch.events.length, 0);
      if (batches.length === 0) return { code: ExportResultCode.SUCCESS };
      const call = { deadline, signal: ticket.signal };
      const reports = await this.parts.sender.send(batches, call);
      const messages: string[] = [];
      for (const [index, report] of reports.entries()) messages.push(...(await this.settle(batches[index]!, report)));
      return this.result(messages);
    } finally {
      this.parts.budget.release(reserved);
    }
  }

  /**
   * The export's turn to reserve memory, transform and prepare, one export at a time, in the order they
   * came: the work gives the event loop turns, and meanwhile no other export may change the transform's
   * memory or reserve against a size not yet known. A reservation is refused before anything is
   * transformed (under a burst of exports, a refused one costs no memory); with nothing held it is never
   * refused, and it is replaced by the events' real size before the turn ends, so it needs no estimate.
   */
  private async admit(spans: readonly ExportableSpan[]): Promise<Admission> {
    const leave = (await this.turns.acquire(undefined))!;
    try {
      const { budget } = this.parts;
      const estimate = budget.heldBytes > 0 ? estimateEventBytes(spans) : 0;
      if (!budget.tryReserve(estimate)) return { admitted: false, estimate };
      let batches: SessionBatch[];
      try {
        batches = await this.transformAndPrepare(spans);
      } catch (error) {
        budget.release(estimate);
        throw error;
      }
      const bytes = batchBytes(batches);
      budget.resize(estimate, bytes);
      return { admitted: true, batches, reserved: bytes };
    } finally {
      leave();
    }
  }

  /** The spans as prepared events, by session; spans that could not be read are counted and logged. */
  private async transformAndPrepare(spans: readonly ExportableSpan[]): Promise<SessionBatch[]> {
    const slices = new SlicedRun();
    const { groups, rejected } = await slices.run(transformInSteps(spans, this.parts.transform));
    for (const span of rejected) this.parts.log.warn(`dropped span ${span.index} of the batch: ${span.reason}`);
    this.parts.stats.drop('unreadableSpan', rejected.length);
    const batches: SessionBatch[] = [];
    for (const group of groups) {
      const batch = this.prepare(group, await slices.run(prepareEventsInSteps(group.events, this.parts.preparation)));
      if (batch.events.length > 0) batches.push(batch);
    }
    return batches;
  }

  private prepare(group: SessionGroup, prepared: PreparedEvents): SessionBatch {
    const { stats, log, preparation } = this.parts;
    const session = this.parts.createSessions ? prepareSessionEvent(group.session, preparation) : undefined;
    stats.drop('masked', prepared.droppedByMask);
    stats.add('maskFailures', prepared.maskFailures.length);
    stats.add('truncatedEvents', prepared.truncatedEvents);
    stats.add('truncatedValues', prepared.truncatedValues);
    for (const reason of new Set(prepared.maskFailures)) {
      const message = `mask failed (${reason}); the event was sent without its content`;
      if (this.maskFailuresWarned.has(reason)) {
        log.debug(message);
      } else {
        this.maskFailuresWarned.add(reason);
        log.warn(`${message} (said once; getStats().maskFailures counts them)`);
      }
    }
    if (prepared.truncatedEvents > 0)
      log.debug(`truncated ${prepared.truncatedValues} values in ${prepared.truncatedEvents} events`);
    return {
      sessionId: group.sessionId,
      session: session?.event,
      ...(session ? { sessionJson: session.serialized } : {}),
      events: prepared.events,
    };
  }

  /** Counts a session's outcome and keeps what was not delivered; returns the messages of what failed. */
  private async settle(batch: SessionBatch, report: SessionReport): Promise<string[]> {
    const { stats, log } = this.parts;
    stats.add('eventsSent', report.sent);
    if (report.sessionUpdated) stats.add('updatesSent');
    if (report.sessionError) {
      stats.add('updatesFailed');
      log.warn(
        `could not complete session ${batch.sessionId} (its end, outputs or fields): ${report.sessionError.message}`,
      );
    }
    if (report.sent > 0) log.debug(`sent ${report.sent} events to session ${batch.sessionId}`);
    const messages: string[] = [];
    for (const item of report.undelivered) {
      const count = item.events.length;
      if (count === 0) {
        // The session's update alone: warned of above; kept for a resend when it may still go, never a failed export.
        if (item.worthKeeping && this.parts.spool) await this.keep({ ...batch, session: item.session, events: [] });
        continue;
      }
      let message = `${count} events for session ${batch.sessionId} not sent: ${item.error.message}`;
      if (!item.worthKeeping) {
        stats.drop('rejected', count);
      } else if (this.parts.spool) {
        const kept = await this.keep({
          sessionId: batch.sessionId,
          session: item.session,
          events: item.events,
        });
        message += kept ? '; kept in the spool, to be resent' : '';
      } else {
        stats.drop(item.error.failure.kind === 'aborted' ? 'shutdown' : 'undeliverable', count);
      }
      log.warn(message);
      this.parts.window.recordError(message);
      messages.push(message);
    }
    return messages;
  }

  /**
   * Over the memory bound: the spans go straight to the spool, or are dropped; counted and logged either
   * way. Spooling transforms them, so shed exports take turns (one transformed at a time) and give up at
   * their deadline: memory stays bounded however many arrive at once.
   */
  private async shed(
    spans: readonly ExportableSpan[],
    estimate: number,
    deadline: number,
    cancel: AbortSignal,
  ): Promise<ExportResult> {
    const held = this.parts.budget.heldBytes;
    let spooled = 0;
    let dropped = spans.length;
    if (this.parts.spool) {
      const turn = this.shedding.then(async () => {
        if (Date.now() >= deadline || cancel.aborted) return;
        const leave = (await this.turns.acquire(undefined))!;
        let batches: SessionBatch[];
        try {
          batches = await this.transformAndPrepare(spans);
        } finally {
          leave();
        }
        dropped = 0;
        for (const batch of batches) {
          if (await this.keep(batch)) spooled += batch.events.length;
        }
      });
      this.shedding = turn.catch(() => undefined);
      await turn;
    }
    this.parts.stats.drop('overload', dropped);
    const outcome = [spooled > 0 ? `${spooled} events spooled` : '', dropped > 0 ? `${dropped} events dropped` : '']
      .filter(Boolean)
      .join(', ');
    const message =
      `the exporter holds ${held} bytes of events in flight and this batch of about ${estimate} bytes would pass maxPendingBytes ` +
      `(${this.parts.budget.maxBytes}): ${outcome || 'nothing kept'} ` +
      '(HoneyHive is slow or unreachable, or spans arrive faster than they can be sent)';
    this.parts.log.warn(message);
    this.parts.window.recordError(message);
    return { code: ExportResultCode.FAILED, error: new Error(message) };
  }

  /** Writes a batch to the spool; false (counted, logged) when it could not. */
  private async keep(batch: SessionBatch): Promise<boolean> {
    const spool = this.parts.spool!;
    const written = await spool.write(batch);
    if (written.ok) {
      this.parts.stats.add('eventsSpooled', batch.events.length);
      return true;
    }
    if (written.error.reason === 'error') this.parts.stats.drop('spoolError', batch.events.length);
    this.parts.log.error(`${batch.events.length} events lost: ${written.error.message}`);
    return false;
  }

  private result(messages: string[]): ExportResult {
    if (messages.length === 0) return { code: ExportResultCode.SUCCESS };
    const distinct = [...new Set(messages)];
    const shown = distinct.slice(0, MAX_MESSAGES_PER_EXPORT).join('; ');
    const more =
      distinct.length > MAX_MESSAGES_PER_EXPORT ? `; and ${distinct.length - MAX_MESSAGES_PER_EXPORT} more` : '';
    return { code: ExportResultCode.FAILED, error: new Error(shown + more) };
  }
}

function batchBytes(batches: readonly SessionBatch[]): number {
  return batches.reduce((sum, batch) => sum + batch.events.reduce((total, event) => total + event.bytes, 0), 0);
}
