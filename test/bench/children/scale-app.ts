/**
 * The scale benchmark in a process of its own (a fresh heap and fresh
 * compiled code), so its largest points measure how cost grows with size, not
 * what the benchmarks before it left in the runner: on Node 24, 1 MB messages
 * read 27–59 ns a byte after the serialize, allocation or end-to-end
 * benchmarks in the same process, against 12–13 run alone.
 *
 * Arguments: <full|smoke>
 */
import { benchmarkScale } from '../scale';
import { FULL, SMOKE } from '../settings';
import { reportFailure, type FromChild } from './protocol';

function main(): void {
  const result = benchmarkScale(process.argv[2] === 'smoke' ? SMOKE : FULL);
  process.send?.({ type: 'result', result } satisfies FromChild, () => process.exit(0));
}

try {
  main();
} catch (error) {
  reportFailure(error);
}
