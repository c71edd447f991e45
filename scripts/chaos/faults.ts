import type { Cluster } from './cluster';
import type { Prng } from './prng';

export const FAULT_KINDS = ['worker', 'postgres', 'temporal', 'api'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRecord {
  kind: FaultKind;
  target: string;
  /** When it was injected, ms since the campaign started. */
  at: number;
  /** How long the service was left down before it was started again. */
  downMs: number;
  /** From the kill until the service said it was ready again. */
  outageMs: number;
  error: string | null;
}

/**
 * Faults one after another at random moments: kill (SIGKILL, or pg_ctl stop -m immediate), leave
 * the service down for a random while, start it again on the same port, wait until it is ready.
 */
export class FaultInjector {
  readonly done: FaultRecord[] = [];
  current: { kind: FaultKind; target: string; since: number } | null = null;
  started = 0;
  private readonly plan: FaultKind[];

  constructor(
    private readonly cluster: Cluster,
    private readonly prng: Prng,
    counts: Record<FaultKind, number>,
    private readonly t0: number,
    private readonly say: (line: string) => void,
  ) {
    this.plan = prng.shuffle(FAULT_KINDS.flatMap((k) => Array.from({ length: counts[k] }, () => k)));
  }

  get total(): number {
    return this.plan.length;
  }

  /** What is broken now, or what broke last, for the record of a failed request. */
  describe(): string {
    if (this.current) return `${this.current.target} down for ${((Date.now() - this.current.since) / 1000).toFixed(1)} s`;
    const last = this.done[this.done.length - 1];
    if (!last) return 'no fault yet';
    const ago = (Date.now() - this.t0 - last.at - last.outageMs) / 1000;
    return `last fault: ${last.target}, recovered ${ago.toFixed(1)} s ago`;
  }

  /** Inject every planned fault; `mayStart(k)` holds fault k back until enough attempts are under way. */
  async run(opts: { gapMs: [number, number]; mayStart: (k: number) => Promise<void>; signal: AbortSignal }): Promise<void> {
    for (let k = 0; k < this.plan.length; k++) {
      if (opts.signal.aborted) return;
      await opts.mayStart(k);
      await sleep(this.prng.between(opts.gapMs[0], opts.gapMs[1]), opts.signal);
      if (opts.signal.aborted) return;
      await this.inject(this.plan[k]);
    }
  }

  private async inject(kind: FaultKind): Promise<void> {
    const c = this.cluster;
    let target: string = kind;
    let kill: () => Promise<void>;
    let restart: () => Promise<void>;
    let downMs: number;
    switch (kind) {
      case 'worker': {
        // Mostly one worker of several; now and then all at once, so nobody polls the task queue.
        const all = c.workers.length > 1 && this.prng.next() < 0.25;
        const victims = all ? c.workers : [c.workers[this.prng.int(c.workers.length)]];
        target = all ? 'all workers' : victims[0].name;
        kill = async () => {
          await Promise.all(victims.map((w) => w.kill()));
        };
        restart = async () => {
          await Promise.all(victims.map((w) => w.start()));
        };
        downMs = this.prng.between(0, 4000);
        break;
      }
      case 'postgres':
        target = 'postgres';
        kill = () => c.crashPostgres();
        restart = () => c.restartPostgres();
        downMs = this.prng.between(1000, 6000);
        break;
      case 'temporal':
        target = 'temporal';
        kill = () => c.killTemporal();
        restart = () => c.restartTemporal();
        downMs = this.prng.between(1000, 5000);
        break;
      case 'api':
        target = 'api';
        kill = () => c.api.kill();
        restart = () => c.startApi();
        downMs = this.prng.between(0, 2000);
        break;
    }
    const since = Date.now();
    this.current = { kind, target, since };
    this.started += 1;
    this.say(`fault ${this.started}/${this.total}: ${target} killed, down for ${(downMs / 1000).toFixed(1)} s`);
    let error: string | null = null;
    try {
      await kill();
      await sleep(downMs);
      await restart();
    } catch (err) {
      error = String(err);
      this.say(`fault ${this.started}: ${target} did not come back cleanly: ${error}`);
    }
    const outageMs = Date.now() - since;
    this.current = null;
    this.done.push({ kind, target, at: since - this.t0, downMs: Math.round(downMs), outageMs, error });
    this.say(`fault ${this.started}/${this.total}: ${target} back after ${(outageMs / 1000).toFixed(1)} s`);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
