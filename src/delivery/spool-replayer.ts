/**
 * Resends the spool: once soon after start, then on a timer (unref'd, so it
 * never keeps a process alive), one file at a time, oldest first, with tracing
 * suppressed (a timer has lost the processor's suppressed context). A file is
 * deleted once HoneyHive accepted its events; what is still undeliverable is
 * written back and the pass stops, since the server is likely still down.
 * Files do not say which API they were written for: each is resent through
 * the API configured now, its events reshaped for it (a per-event project,
 * kept for the legacy route, is removed for v1), so a change of `apiVersion`
 * strands nothing.
 */
import { setMaxListeners } from 'node:events';
import { context } from '@opentelemetry/api';
import { errorMessage } from '../error-message';
import { suppressTracing } from '../otel-sdk';
import type { ApiVersion } from '../transport/honeyhive-api';
import { eventForApi, serializedEventForApi } from './api-event-fields';
import type { SessionReport, SessionSender } from './session-sender';
import type { ClaimedFile, Spool } from './spool';

export interface ReplayReport {
  /** Events HoneyHive accepted. */
  sent: number;
  /** Events refused for good, and deleted. */
  rejected: number;
  /** Files left for a later pass. */
  remainingFiles: number;
}

export interface SpoolReplayerOptions {
  intervalMillis: number;
  /** Each file gets this long, like an export. */
  exportTimeoutMillis: number;
  /** The API configured now, which every file is resent through. */
  apiVersion: ApiVersion;
  onReport: (report: ReplayReport, errors: string[]) => void;
}

export class SpoolReplayer {
  private timer: NodeJS.Timeout | undefined;
  private firstPass: NodeJS.Timeout | undefined;
  private running: Promise<ReplayReport> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly spool: Spool,
    private readonly sender: SessionSender,
    private readonly options: SpoolReplayerOptions,
  ) {
    setMaxListeners(0, this.stopping.signal);
  }

  start(): void {
    const pass = (): void => void this.replay();
    this.firstPass = setTimeout(pass, 0).unref();
    this.timer = setInterval(pass, this.options.intervalMillis).unref();
  }

  /** Stops the timers and cancels a pass in progress (its file is given back). */
  async stop(): Promise<void> {
    clearTimeout(this.firstPass);
    clearInterval(this.timer);
    this.stopping.abort();
    await this.running;
  }

  /** Resends the spool now; a pass already running is joined, not doubled. */
  replay(): Promise<ReplayReport> {
    if (this.stopping.signal.aborted) return Promise.resolve({ sent: 0, rejected: 0, remainingFiles: 0 });
    this.running ??= context
      .with(suppressTracing(context.active()), () => this.pass())
      .catch((error: unknown): ReplayReport => {
        // A disk error mid-pass: the files stay where they are for the next pass.
        this.options.onReport({ sent: 0, rejected: 0, remainingFiles: 0 }, [
          `the spool could not be resent: ${String(error)}`,
        ]);
        return { sent: 0, rejected: 0, remainingFiles: 0 };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async pass(): Promise<ReplayReport> {
    const report: ReplayReport = { sent: 0, rejected: 0, remainingFiles: 0 };
    const errors: string[] = [];
    const entries = await this.spool.list();
    for (let index = 0; index < entries.length; index++) {
      if (this.stopping.signal.aborted) {
        report.remainingFiles = entries.length - index;
        break;
      }
      const claimed = await this.spool.claim(entries[index]!);
      if (!claimed) continue;
      const keepGoing = await this.resend(claimed, report, errors);
      if (!keepGoing) {
        report.remainingFiles = entries.length - index;
        break;
      }
    }
    this.options.onReport(report, errors);
    return report;
  }

  /** Resends one file; false when the rest of the pass should wait. */
  private async resend(claimed: ClaimedFile, report: ReplayReport, errors: string[]): Promise<boolean> {
    const read = await this.spool.read(claimed);
    if (!read.ok) {
      errors.push(`spool file ${claimed.entry.name} could not be read (${read.error}); deleted`);
      await this.spool.discard(claimed);
      return true;
    }
    const { session } = read.value;
    const batch = {
      ...read.value,
      session: session && eventForApi(session, this.options.apiVersion),
      events: read.value.events.map((event) => serializedEventForApi(event, this.options.apiVersion)),
    };
    let result: SessionReport;
    try {
      [result] = (await this.sender.send([batch], {
        deadline: Date.now() + this.options.exportTimeoutMillis,
        signal: this.stopping.signal,
      })) as [SessionReport];
    } catch (error) {
      errors.push(`spool file ${claimed.entry.name} could not be resent: ${errorMessage(error)}`);
      await this.spool.release(claimed);
      return false;
    }
    report.sent += result.sent;
    const kept = result.undelivered.filter((item) => item.worthKeeping);
    for (const item of result.undelivered) {
      errors.push(item.error.message);
      if (!item.worthKeeping) report.rejected += item.events.length;
    }
    if (kept.length === 0) {
      await this.spool.complete(claimed);
      return true;
    }
    await this.spool.release(claimed, {
      sessionId: batch.sessionId,
      session: kept.find((item) => item.session !== undefined)?.session,
      events: kept.flatMap((item) => item.events),
    });
    return false;
  }
}
