export default async function globalTeardown(): Promise<void> {
  for (const s of (globalThis.__SERVICES__ ?? []).reverse()) await s.stop().catch(() => undefined);
}
