export default async function globalTeardown(): Promise<void> {
  for (const s of (globalThis.__SERVICES__ ?? []).reverse()) await s.stop().catch((err) => console.error('service did not stop:', err));
}
