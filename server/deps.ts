import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { Config } from '../platform/config';

/** What route modules need; built once in app.ts so tests can wire their own services. */
export interface Deps {
  pool: Pool;
  temporal: Client;
  log: Logger;
  config: Config;
}
