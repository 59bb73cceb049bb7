import { OptError } from '../errors';

/**
 * Waits until Int32 slot `done` of a worker's control block `c` holds `seq` (the worker finished
 * list `seq`) or `−seq` (it threw). Spins for `spinMs` first (the worker is usually about done, and
 * a futex wake-up costs tens of microseconds), then sleeps on the slot. Returns whether the list
 * succeeded; throws, naming `who`, when `timeoutMs` pass without an answer.
 *
 * @example
 * ```ts
 * if (!awaitWorker(control, 1, seq, 'kernel worker 0', 0.5, 60_000)) throw new Error('trap');
 * ```
 */
export function awaitWorker(
  c: Int32Array,
  done: number,
  seq: number,
  who: string,
  spinMs: number,
  timeoutMs: number,
): boolean {
  const until = performance.now() + spinMs;
  while (Math.abs(Atomics.load(c, done)) !== seq && performance.now() < until);
  for (;;) {
    const now = Atomics.load(c, done);
    if (now === seq) return true;
    if (now === -seq) return false;
    if (Atomics.wait(c, done, now, timeoutMs) === 'timed-out' && Atomics.load(c, done) === now) {
      throw new OptError(`${who} did not finish within ${timeoutMs / 1000} s`);
    }
  }
}
