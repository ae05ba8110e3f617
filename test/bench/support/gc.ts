import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** Heap in use after a full collection: what is actually retained. */
export function retainedHeap(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}
