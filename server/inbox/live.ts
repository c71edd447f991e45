import type { Response } from 'express';
import type { Logger } from 'pino';
import type { Pool, PoolClient } from 'pg';
import type { SessionUser } from '../http';
import { canSeePlacement, type Placement } from './visibility';

export interface TaskChange extends Placement {
  id: string;
  attemptId: string;
  status: string;
  op: 'insert' | 'update';
  /** On an update, where the task was before: whoever saw it there must hear that it left. */
  before?: Placement | null;
}

/** Whether this change concerns the person: they may see the task now, or could before it changed. */
export function canSeeChange(user: SessionUser, c: TaskChange): boolean {
  return canSeePlacement(user, c) || (!!c.before && canSeePlacement(user, c.before));
}

/**
 * Streams task changes to open inboxes (server-sent events). PostgreSQL's NOTIFY (a trigger on
 * tasks) is the source, so changes made by the worker process reach every API replica.
 */
export class TaskChangeHub {
  /** The LISTEN connection and the one way to give it back (released once, whoever gets there first). */
  private listener: { client: PoolClient; drop: () => void } | null = null;
  private readonly subscribers = new Set<{ user: SessionUser; res: Response }>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  private connecting: Promise<void> | null = null;
  private readonly changeListeners = new Set<(change: TaskChange) => void>();
  /**
   * Which LISTEN connection is current; it moves on whenever one is lost or made. Changes made while
   * no connection listened were missed, so whatever was learnt before then is suspect.
   */
  private listenerGeneration = 0;

  constructor(
    private readonly pool: Pool,
    private readonly log: Logger,
  ) {}

  async subscribe(user: SessionUser, res: Response): Promise<void> {
    await this.listen();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\nevent: ready\ndata: {}\n\n');
    const sub = { user, res };
    this.subscribers.add(sub);
    res.on('close', () => this.subscribers.delete(sub));
  }

  /** The generation of the live LISTEN connection, or null when none listens right now. */
  get generation(): number | null {
    return this.listener ? this.listenerGeneration : null;
  }

  /** Called for every task change, in the order PostgreSQL delivers them. */
  onChange(fn: (change: TaskChange) => void): void {
    this.changeListeners.add(fn);
  }

  /** Starts listening for task changes, if nothing listens yet. */
  listen(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = await this.pool.connect();
      let released = false;
      const drop = () => {
        if (released) return;
        released = true;
        client.release(true);
      };
      client.on('notification', (msg) => this.dispatch(msg.payload));
      client.on('error', (err) => {
        // Postgres went away: drop this listener; the next subscriber (browsers reconnect) or inbox
        // count makes a new one.
        this.log.warn({ err: String(err) }, 'task change listener lost its connection');
        if (this.listener?.client === client) {
          this.listener = null;
          this.listenerGeneration += 1;
        }
        drop();
      });
      try {
        await client.query('LISTEN task_changed');
      } catch (err) {
        drop();
        throw err;
      }
      this.listenerGeneration += 1;
      if (this.closed) return drop(); // closed while we connected: nobody will release it later
      this.listener = { client, drop };
      this.heartbeat ??= setInterval(() => this.broadcastRaw(': keep-alive\n\n'), 15_000);
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private dispatch(payload: string | undefined): void {
    if (!payload) return;
    let change: TaskChange;
    try {
      change = JSON.parse(payload) as TaskChange;
    } catch {
      return;
    }
    for (const fn of this.changeListeners) fn(change);
    const { before: _before, ...shown } = change;
    const line = `event: task\ndata: ${JSON.stringify(shown)}\n\n`;
    for (const sub of this.subscribers) if (canSeeChange(sub.user, change)) sub.res.write(line);
  }

  private broadcastRaw(text: string): void {
    for (const sub of this.subscribers) sub.res.write(text);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listenerGeneration += 1;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const sub of this.subscribers) sub.res.end();
    this.subscribers.clear();
    await this.connecting?.catch(() => undefined);
    // Taken first: the connection's error handler (PostgreSQL stopping at the same moment, as a
    // terminal's Ctrl-C used to do) may clear this.listener while UNLISTEN is in flight.
    const listener = this.listener;
    this.listener = null;
    if (listener) {
      await listener.client.query('UNLISTEN *').catch(() => undefined);
      listener.drop();
    }
  }
}
