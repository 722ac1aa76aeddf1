/**
 * What each side puts on the wire for the same spans, cut into the batches a
 * BatchSpanProcessor hands its exporter (512 spans): our transform plus
 * `JSON.stringify` of each request body (a session's start, once per session,
 * and its events), against the OTLP JSON trace serializer; and the floor,
 * `JSON.stringify` of events already built. Every side ends in UTF-8 bytes,
 * as the OTLP serializer does.
 */
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TransformMemory, transformSpans, type SessionGroup } from './subject';

/** BatchSpanProcessor's default `maxExportBatchSize`. */
export const EXPORT_BATCH_SIZE = 512;

export function exportBatches(spans: readonly ReadableSpan[], batchSize = EXPORT_BATCH_SIZE): ReadableSpan[][] {
  const batches: ReadableSpan[][] = [];
  for (let i = 0; i < spans.length; i += batchSize) batches.push(spans.slice(i, i + batchSize));
  return batches;
}

/** The groups each batch becomes, transformed with one memory across batches, as the exporter does. */
export function transformBatches(batches: readonly ReadableSpan[][]): SessionGroup[][] {
  const memory = new TransformMemory();
  return batches.map((batch) => transformSpans(batch, { project: 'bench', memory }).groups);
}

/** Request bodies for groups: each session's start the first time it is seen, then its events. */
export function honeyHiveBodies(batchGroups: readonly SessionGroup[][]): Buffer[] {
  const started = new Set<string>();
  const bodies: Buffer[] = [];
  for (const groups of batchGroups) {
    for (const group of groups) {
      if (!started.has(group.sessionId)) {
        started.add(group.sessionId);
        bodies.push(Buffer.from(JSON.stringify({ session: group.session })));
      }
      bodies.push(Buffer.from(JSON.stringify({ events: group.events })));
    }
  }
  return bodies;
}

/** Ours: transform, then serialise. */
export function honeyHiveWire(batches: readonly ReadableSpan[][]): Buffer[] {
  return honeyHiveBodies(transformBatches(batches));
}

/** The baseline: one OTLP/JSON request per batch. */
export function otlpWire(batches: readonly ReadableSpan[][]): Uint8Array[] {
  return batches.map((batch) => {
    const body = JsonTraceSerializer.serializeRequest(batch);
    if (!body) throw new Error('the OTLP serializer returned nothing');
    return body;
  });
}

export function totalBytes(bodies: readonly Uint8Array[]): number {
  return bodies.reduce((sum, body) => sum + body.byteLength, 0);
}
