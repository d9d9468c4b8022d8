// Helpers shared by the posix-ipc/promises test files.
import { spawnSync } from 'node:child_process';

/** Whether `p` is still pending once the event loop has turned: it did not settle at once. */
export async function isPending(p: Promise<unknown>): Promise<boolean> {
  const turn = Symbol('turn');
  const first = await Promise.race([p.then(() => 'settled', () => 'settled'), new Promise((res) => setImmediate(() => res(turn)))]);
  return first === turn;
}

/** The rejection of `p` (which must reject). */
export async function rejection(p: Promise<unknown>): Promise<Record<string, unknown>> {
  return p.then(() => { throw new Error('expected a rejection'); }, (e: Record<string, unknown>) => e);
}

/** Runs a Node script in a child process (`node -e`), its output as text. */
export function runScript(script: string, opts: { timeout?: number } = {}) {
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: opts.timeout ?? 60_000 });
}

/** `require()` arguments for the built package, for scripts run by runScript. */
export const pkg = JSON.stringify(require.resolve('posix-ipc'));
export const promisesPkg = JSON.stringify(require.resolve('posix-ipc/promises'));
