/** Small pieces the service benches (migrate, scale) share. */

/** Polls `check` until it holds, or fails naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs: number, pollMs = 250): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The SDK's bundler logs only its errors here. */
export const silentLogger = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
  debug: () => undefined,
  trace: () => undefined,
};
