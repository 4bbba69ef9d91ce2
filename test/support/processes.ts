// Helpers for tests that spawn the server or the emulator CLI and check what a stop leaves behind.

import { createServer } from 'node:net';

/** Whether a process (or, with a negative pid, a process group) still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Resolves once something can listen on the port again, i.e. no process holds it. */
export async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return false;
    throw err;
  } finally {
    if (probe.listening) await new Promise((resolve) => probe.close(resolve));
  }
}
