/**
 * Benchmark 1b, allocation: bytes allocated per span by our transform +
 * serialise against the OTLP JSON serializer on the same batches, read from
 * V8's sampling heap profiler with the objects later collected by minor and
 * major GCs included (so it counts everything allocated, not what survives).
 * The profiler scales each sample by its chance of being taken, so the sum
 * estimates the bytes allocated; the sampling interval is small enough that
 * the estimate is steady to a few percent over the bytes each side allocates.
 */
import { Session } from 'node:inspector';
import type { SpanMix } from './mixes';
import type { AllocationResult } from './results';
import type { BenchSettings } from './settings';
import { exportBatches, honeyHiveWire, otlpWire } from './wire';

/** Bytes between samples, on average (V8's default is 32 KiB). */
const SAMPLING_INTERVAL_BYTES = 1024;

interface ProfileNode {
  selfSize: number;
  children: ProfileNode[];
}

function totalSize(node: ProfileNode): number {
  let total = node.selfSize;
  for (const child of node.children) total += totalSize(child);
  return total;
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** Estimated bytes `run` allocates, averaged over `iterations` runs after one untimed run. */
async function allocatedBytes(session: Session, run: () => void, iterations: number): Promise<number> {
  run();
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL_BYTES,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  for (let i = 0; i < iterations; i++) run();
  const { profile } = await post<{ profile: { head: ProfileNode } }>(session, 'HeapProfiler.stopSampling');
  return totalSize(profile.head) / iterations;
}

export async function benchmarkAllocation(
  mixes: readonly SpanMix[],
  settings: BenchSettings,
): Promise<AllocationResult[]> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'HeapProfiler.enable');
    const results: AllocationResult[] = [];
    for (const mix of mixes) {
      const batches = exportBatches(mix.spans);
      const spans = mix.spans.length;
      const bytes = { ours: 0, otlp: 0 };
      // Alternate the sides, so neither sees only a heap the other left behind.
      for (let round = 0; round < settings.allocationRounds; round++) {
        bytes.ours += await allocatedBytes(session, () => void honeyHiveWire(batches), settings.allocationRuns);
        bytes.otlp += await allocatedBytes(session, () => void otlpWire(batches), settings.allocationRuns);
      }
      const perSpan = {
        ours: bytes.ours / settings.allocationRounds / spans,
        otlp: bytes.otlp / settings.allocationRounds / spans,
      };
      results.push({ mix: mix.name, spans, bytesPerSpan: perSpan, ratio: perSpan.ours / perSpan.otlp });
    }
    return results;
  } finally {
    session.disconnect();
  }
}
