/**
 * The on-disk spool: batches that could not be delivered, one JSON file each,
 * readable by the owner only (directory 0700, files 0600), bounded in size
 * (the oldest files make room) and in age. A file is claimed (renamed) while
 * it is resent, so two exporters sharing the directory never send the same
 * file at once, and deleted only after HoneyHive accepted its events. Files
 * hold events and the session to start, never the API key or headers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import type { HoneyHiveSession, HoneyHiveSessionEvent } from '../honeyhive-types';
import { errorMessage } from '../error-message';
import type { Result } from '../result';
import { isUuid } from '../transform/ids';
import type { SerializedEvent } from './request-packing';
import { asSessionEvent, type SessionBatch } from './session-sender';

export const SPOOL_FILE_VERSION = 1;
const FILE_SUFFIX = '.json';
const CLAIM_SUFFIX = '.sending';
/**
 * A claim older than this belongs to an exporter that died mid-send; the file is put back. A resend
 * lasts one export deadline at most, so the exporter waits longer only when its deadline is longer.
 */
export const STALE_CLAIM_MILLIS = 60_000;
const TEMPORARY_SUFFIX = '.tmp';
/** A temporary file older than this was left by a write that never finished (the process died): deleted. */
export const STALE_TEMPORARY_MILLIS = 60_000;
/** `<created ms>-<events>-<hash>.json`: sorting names sorts by age, and the event count is known without reading. */
const FILE_NAME = /^(\d{13,})-(\d+)-([0-9a-f]{16})\.json$/;

export interface SpoolOptions {
  /** The user's directory; the spool lives in a subdirectory per destination. */
  rootDir: string;
  /** Names the subdirectory, so batches meant for one server and key are never sent with another. */
  destination: string;
  maxBytes: number;
  maxAgeMillis: number;
  /** When a claim counts as abandoned. Default {@link STALE_CLAIM_MILLIS}. */
  staleClaimMillis?: number;
  /** Told of every loss as it happens (events evicted when full, expired, unreadable), so it is counted once. */
  onLoss?: (loss: SpoolLoss) => void;
}

export interface SpoolEntry {
  name: string;
  createdAt: number;
  events: number;
  bytes: number;
}

/** Events the spool lost, and why: evicted (or refused) when full, older than the age limit, unreadable. */
export interface SpoolLoss {
  reason: 'full' | 'expired' | 'unreadable';
  events: number;
}

export interface ClaimedFile {
  entry: SpoolEntry;
  claimPath: string;
}

/** What {@link Spool.surveyOtherDestinations} found: spooled for another server URL or API key, not expired. */
export interface OtherDestinations {
  directories: number;
  files: number;
  events: number;
}

/** A destination's directory name (see {@link destinationDirName}). */
const DESTINATION_DIR = /^[0-9a-f]{16}$/;

/** Why a batch was not written: larger than the spool (`full`), or the file system failed (`error`). */
export interface WriteFailure {
  reason: 'full' | 'error';
  message: string;
}

/** The subdirectory name for a destination: a hash, so the directory listing shows neither URL nor key. */
export function destinationDirName(serverUrl: string, apiKey: string): string {
  return createHash('sha256').update(`honeyhive-spool\n${serverUrl}\n${apiKey}`).digest('hex').slice(0, 16);
}

export class Spool {
  readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SpoolOptions) {
    this.dir = path.join(options.rootDir, options.destination);
  }

  private lose(reason: SpoolLoss['reason'], events: number): void {
    if (events > 0) this.options.onLoss?.({ reason, events });
  }

  /** Writes one batch; the oldest files are evicted to make room. Never throws. */
  write(batch: SessionBatch): Promise<Result<void, WriteFailure>> {
    return this.serially(async () => {
      const body = serialize(batch);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > this.options.maxBytes) {
        this.lose('full', batch.events.length);
        const message = `the batch (${bytes} bytes) is larger than spoolMaxBytes (${this.options.maxBytes})`;
        return { ok: false, error: { reason: 'full', message } };
      }
      try {
        await this.ensureDir();
        await this.makeRoom(bytes);
        const name = `${Date.now()}-${batch.events.length}-${batchHash(batch)}${FILE_SUFFIX}`;
        await writeFileAtomically(path.join(this.dir, name), body);
        return { ok: true };
      } catch (error) {
        const message = `could not write to the spool: ${describeFsError(error)}`;
        return { ok: false, error: { reason: 'error', message } };
      }
    });
  }

  /**
   * Finds what is spooled under the same root for other destinations (the API key or server URL changed):
   * this exporter cannot send it there, so it is only counted, and its files older than the age limit are
   * deleted (counted as expired). Never throws.
   */
  async surveyOtherDestinations(): Promise<OtherDestinations> {
    const found: OtherDestinations = { directories: 0, files: 0, events: 0 };
    const directories = await fs.readdir(this.options.rootDir, { withFileTypes: true }).catch(() => []);
    const now = Date.now();
    for (const directory of directories) {
      if (!directory.isDirectory() || !DESTINATION_DIR.test(directory.name)) continue;
      if (directory.name === this.options.destination) continue;
      const dir = path.join(this.options.rootDir, directory.name);
      let files = 0;
      for (const file of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
        const match = file.isFile() ? FILE_NAME.exec(file.name.replace(CLAIM_SUFFIX, '')) : null;
        if (!match) continue;
        const events = Number(match[2]);
        if (now - Number(match[1]) > this.options.maxAgeMillis) {
          await fs.rm(path.join(dir, file.name), { force: true }).catch(() => undefined);
          this.lose('expired', events);
          continue;
        }
        files += 1;
        found.events += events;
      }
      if (files > 0) found.directories += 1;
      found.files += files;
    }
    return found;
  }

  /** Spooled files, oldest first; expired files are deleted and stale claims put back on the way. */
  list(): Promise<SpoolEntry[]> {
    return this.serially(async () => this.scan());
  }

  /** Takes a file for resending; undefined when another exporter took it first. */
  claim(entry: SpoolEntry): Promise<ClaimedFile | undefined> {
    return this.serially(async () => {
      const from = path.join(this.dir, entry.name);
      const claimPath = from + CLAIM_SUFFIX;
      try {
        await fs.rename(from, claimPath);
        const now = new Date();
        await fs.utimes(claimPath, now, now);
        return { entry, claimPath };
      } catch {
        return undefined;
      }
    });
  }

  async read(claimed: ClaimedFile): Promise<Result<SessionBatch, string>> {
    try {
      return parse(await fs.readFile(claimed.claimPath, 'utf8'));
    } catch (error) {
      return { ok: false, error: describeFsError(error) };
    }
  }

  /** Deletes a claimed file (every event in it was accepted, or refused for good). */
  async complete(claimed: ClaimedFile): Promise<void> {
    await fs.rm(claimed.claimPath, { force: true });
  }

  /** Gives a claimed file back: with only the events still to send, or as it was. */
  release(claimed: ClaimedFile, remaining?: SessionBatch): Promise<void> {
    return this.serially(async () => {
      const back = path.join(this.dir, claimed.entry.name);
      try {
        if (remaining === undefined || remaining.events.length === claimed.entry.events) {
          await fs.rename(claimed.claimPath, back);
          return;
        }
        const name = `${claimed.entry.createdAt}-${remaining.events.length}-${batchHash(remaining)}${FILE_SUFFIX}`;
        await writeFileAtomically(path.join(this.dir, name), serialize(remaining));
        await fs.rm(claimed.claimPath, { force: true });
      } catch {
        // Left claimed, it comes back once the claim is stale.
      }
    });
  }

  /** Deletes an unreadable file, counting what it held. */
  async discard(claimed: ClaimedFile): Promise<void> {
    this.lose('unreadable', claimed.entry.events);
    await fs.rm(claimed.claimPath, { force: true });
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async ensureDir(): Promise<void> {
    await fs.mkdir(this.options.rootDir, { recursive: true, mode: 0o700 });
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    // mkdir leaves an existing directory as it was; ours must be the owner's alone.
    await fs.chmod(this.dir, 0o700);
  }

  private async scan(): Promise<SpoolEntry[]> {
    return (await this.survey()).entries;
  }

  /**
   * The files ready to resend, oldest first, and the bytes of the rest (claims, writes in progress), which
   * count against the size too. On the way: expired files deleted, stale claims put back (and listed),
   * temporary files left by a crash deleted. Anything but a regular file is left alone.
   */
  private async survey(): Promise<{ entries: SpoolEntry[]; otherBytes: number }> {
    let found: Dirent[];
    try {
      found = await fs.readdir(this.dir, { withFileTypes: true });
    } catch {
      return { entries: [], otherBytes: 0 };
    }
    const now = Date.now();
    const entries: SpoolEntry[] = [];
    let otherBytes = 0;
    for (const dirent of found) {
      if (!dirent.isFile()) continue;
      let name = dirent.name;
      const file = path.join(this.dir, name);
      if (name.endsWith(CLAIM_SUFFIX)) {
        const claim = await this.recoverStaleClaim(file, now);
        if (claim.recovered === undefined) {
          otherBytes += claim.bytes;
          continue;
        }
        name = claim.recovered;
      } else if (name.endsWith(TEMPORARY_SUFFIX)) {
        otherBytes += await this.cleanTemporary(file, name, now);
        continue;
      }
      const match = FILE_NAME.exec(name);
      if (!match) continue; // not ours
      const createdAt = Number(match[1]);
      const events = Number(match[2]);
      if (now - createdAt > this.options.maxAgeMillis) {
        this.lose('expired', events);
        await fs.rm(path.join(this.dir, name), { force: true });
        continue;
      }
      const stat = await fs.stat(path.join(this.dir, name)).catch(() => undefined);
      if (stat) entries.push({ name, createdAt, events, bytes: stat.size });
    }
    return { entries: entries.sort((a, b) => a.name.localeCompare(b.name)), otherBytes };
  }

  /** Puts a stale claim back under its own name; otherwise says how large it is. */
  private async recoverStaleClaim(file: string, now: number): Promise<{ recovered?: string; bytes: number }> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) return { bytes: 0 };
    if (now - stat.mtimeMs <= (this.options.staleClaimMillis ?? STALE_CLAIM_MILLIS)) return { bytes: stat.size };
    const original = file.slice(0, -CLAIM_SUFFIX.length);
    try {
      await fs.rename(file, original);
      return { recovered: path.basename(original), bytes: stat.size };
    } catch {
      return { bytes: 0 };
    }
  }

  /** Deletes a temporary file left by a write that never finished, counting its events lost; else its size. */
  private async cleanTemporary(file: string, name: string, now: number): Promise<number> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat) return 0;
    if (now - stat.mtimeMs <= STALE_TEMPORARY_MILLIS) return stat.size;
    await fs.rm(file, { force: true });
    // `<file name>.<random>.tmp`: the file name says how many events it held.
    const match = FILE_NAME.exec(name.replace(/\.[0-9a-f]+\.tmp$/, ''));
    this.lose('unreadable', match ? Number(match[2]) : 0);
    return 0;
  }

  private async makeRoom(bytes: number): Promise<void> {
    const { entries, otherBytes } = await this.survey();
    let total = otherBytes + entries.reduce((sum, entry) => sum + entry.bytes, 0);
    for (const oldest of entries) {
      if (total + bytes <= this.options.maxBytes) break;
      await fs.rm(path.join(this.dir, oldest.name), { force: true });
      this.lose('full', oldest.events);
      total -= oldest.bytes;
    }
  }
}

function batchHash(batch: SessionBatch): string {
  const hash = createHash('sha256').update(batch.sessionId);
  for (const event of batch.events) hash.update(`\n${event.eventId}`);
  return hash.digest('hex').slice(0, 16);
}

/** The events are kept as the JSON they were to be sent as, so a resend sends exactly that. */
function serialize(batch: SessionBatch): string {
  const session = batch.session === undefined ? '' : `,"session":${JSON.stringify(batch.session)}`;
  return `{"version":${SPOOL_FILE_VERSION},"session_id":${JSON.stringify(batch.sessionId)}${session},"events":[${batch.events.map((event) => event.json).join(',')}]}`;
}

function parse(text: string): Result<SessionBatch, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const record = data as { version?: unknown; session_id?: unknown; session?: unknown; events?: unknown };
  if (typeof record !== 'object' || record === null || record.version !== SPOOL_FILE_VERSION)
    return { ok: false, error: 'not a spool file of this version' };
  if (typeof record.session_id !== 'string' || !isUuid(record.session_id))
    return { ok: false, error: 'no valid session id' };
  if (!Array.isArray(record.events)) return { ok: false, error: 'no events' };
  const events: SerializedEvent[] = [];
  for (const event of record.events as unknown[]) {
    const eventId = (event as { event_id?: unknown } | null)?.event_id;
    if (typeof event !== 'object' || event === null || typeof eventId !== 'string' || !isUuid(eventId)) {
      return { ok: false, error: 'an event without a valid event_id' };
    }
    const json = JSON.stringify(event);
    events.push({ eventId, json, bytes: Buffer.byteLength(json, 'utf8') });
  }
  // Files of earlier versions hold the session as a start object; it is resent as the session's event.
  const session = record.session as HoneyHiveSessionEvent | HoneyHiveSession | undefined;
  if (
    session !== undefined &&
    (typeof session !== 'object' || session === null || session.session_id !== record.session_id)
  ) {
    return { ok: false, error: 'a session that does not match the file' };
  }
  return {
    ok: true,
    value: { sessionId: record.session_id, session: session && asSessionEvent(session), events },
  };
}

async function writeFileAtomically(file: string, body: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temporary, body, { mode: 0o600, flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The error's code when it has one (ENOENT, ENOSPC): short, and free of the user's paths. An error without
 * a code keeps its whole message, path included.
 */
function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : errorMessage(error);
}
