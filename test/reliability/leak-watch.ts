/**
 * What the key scan (key-scan.test.ts) reads once every test has run: every
 * diag log line and error recorded here, and every file written under
 * LEAK_ROOT (the spool directories of the delivery and reliability tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { errorMessage } from '../../src/error-message';

export const LEAK_ROOT = mkdtempSync(path.join(tmpdir(), 'hh-reliability-'));
// Removed when the run ends, after the scan has read it; also when a run loads no key scan (one test file alone).
process.once('exit', () => rmSync(LEAK_ROOT, { recursive: true, force: true }));

export const capturedLogLines: string[] = [];
export const capturedErrors: string[] = [];

let directories = 0;

/** A fresh directory under LEAK_ROOT (it is not created: the spool creates its own). */
export function spoolDirUnderLeakRoot(name: string): string {
  directories += 1;
  return path.join(LEAK_ROOT, `${directories}-${name}`);
}

function render(args: unknown[]): string {
  return args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 6 }))).join(' ');
}

const capture = (...args: unknown[]): void => {
  capturedLogLines.push(render(args));
};
const captureLogger: DiagLogger = { error: capture, warn: capture, info: capture, debug: capture, verbose: capture };

/** Sends every diag line, at every level, to the capture (call in a beforeEach: other suites disable diag). */
export function captureDiag(): void {
  diag.setLogger(captureLogger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
}

/** Keeps an error (message and inspected form) for the scan. */
export function recordError(error: unknown): void {
  if (error !== undefined) capturedErrors.push(`${errorMessage(error)} ${inspect(error, { depth: 6 })}`);
}
