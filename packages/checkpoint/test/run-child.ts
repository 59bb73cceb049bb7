import { spawn } from 'node:child_process';

/** What a finished child process left: its exit code, the signal that ended it, and its output. */
export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a child process without blocking the test worker (a synchronous spawn on a
 * loaded machine can starve vitest's worker RPC and fail the whole file). With `timeoutMs` > 0 the
 * child is killed (SIGTERM) once that time has passed.
 */
export function runChild(command: string, args: readonly string[], timeoutMs = 0): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}
