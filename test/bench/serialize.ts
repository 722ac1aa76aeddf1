/**
 * Benchmark 1, transform + serialise: our transform plus JSON.stringify
 * against the OTLP JSON trace serializer on the very same spans, and the floor
 * (JSON.stringify of the finished events alone); bytes per span on each side.
 * Also whether gzip pays on each side's bodies.
 */
import { gzipSync } from 'node:zlib';
import { measureInterleaved, median, pairedRatio } from './measure';
import type { SpanMix } from './mixes';
import type { GzipResult, GzipSide, SerializeResult } from './results';
import type { BenchSettings } from './settings';
import { exportBatches, honeyHiveBodies, honeyHiveWire, otlpWire, totalBytes, transformBatches } from './wire';

export function benchmarkSerialize(mix: SpanMix, settings: BenchSettings): SerializeResult {
  const batches = exportBatches(mix.spans);
  const builtGroups = transformBatches(batches);
  const timings = measureInterleaved(
    [
      { name: 'ours', run: () => honeyHiveWire(batches) },
      { name: 'otlp', run: () => otlpWire(batches) },
      { name: 'floor', run: () => honeyHiveBodies(builtGroups) },
    ],
    {
      repetitions: settings.repetitions,
      minMillisPerRepetition: settings.minMillisPerRepetition,
      warmUpMillis: settings.warmUpMillis,
    },
  );
  const spans = mix.spans.length;
  const micros = (name: 'ours' | 'otlp' | 'floor'): number => (median(timings[name]!) * 1000) / spans;
  const microsPerSpan = { ours: micros('ours'), otlp: micros('otlp'), floor: micros('floor') };
  const bytesPerSpan = {
    ours: totalBytes(honeyHiveWire(batches)) / spans,
    otlp: totalBytes(otlpWire(batches)) / spans,
  };
  return {
    mix: mix.name,
    spans,
    microsPerSpan,
    spansPerSecond: {
      ours: 1e6 / microsPerSpan.ours,
      otlp: 1e6 / microsPerSpan.otlp,
      floor: 1e6 / microsPerSpan.floor,
    },
    timeRatio: {
      vsOtlp: pairedRatio(timings.ours!, timings.otlp!),
      vsFloor: pairedRatio(timings.ours!, timings.floor!),
    },
    bytesPerSpan,
    bytesRatio: bytesPerSpan.ours / bytesPerSpan.otlp,
    repetitionsMillis: { ours: timings.ours!, otlp: timings.otlp!, floor: timings.floor! },
  };
}

/** gzip at zlib's default level, as the OTLP exporter's `compression: 'gzip'` does. */
function gzipAll(bodies: readonly Uint8Array[]): number {
  return bodies.reduce((sum, body) => sum + gzipSync(body).byteLength, 0);
}

function gzipSide(
  bodies: readonly Uint8Array[],
  spans: number,
  serialiseMicrosPerSpan: number,
  gzipMillis: number,
): GzipSide {
  const bytes = totalBytes(bodies);
  const gzipBytes = gzipAll(bodies);
  const gzipMicrosPerSpan = (gzipMillis * 1000) / spans;
  return {
    bytesPerSpan: bytes / spans,
    gzipBytesPerSpan: gzipBytes / spans,
    saved: 1 - gzipBytes / bytes,
    serialiseMicrosPerSpan,
    gzipMicrosPerSpan,
    // bytes saved per microsecond of CPU = megabytes per second
    breakEvenMegabytesPerSecond: (bytes - gzipBytes) / spans / gzipMicrosPerSpan,
  };
}

export function benchmarkGzip(mix: SpanMix, serialized: SerializeResult, settings: BenchSettings): GzipResult {
  const batches = exportBatches(mix.spans);
  const ours = honeyHiveWire(batches);
  const otlp = otlpWire(batches);
  const timings = measureInterleaved(
    [
      { name: 'ours', run: () => gzipAll(ours) },
      { name: 'otlp', run: () => gzipAll(otlp) },
    ],
    {
      repetitions: settings.repetitions,
      minMillisPerRepetition: settings.minMillisPerRepetition,
      warmUpMillis: settings.warmUpMillis,
    },
  );
  const spans = mix.spans.length;
  return {
    mix: mix.name,
    ours: gzipSide(ours, spans, serialized.microsPerSpan.ours, median(timings.ours!)),
    otlp: gzipSide(otlp, spans, serialized.microsPerSpan.otlp, median(timings.otlp!)),
  };
}
