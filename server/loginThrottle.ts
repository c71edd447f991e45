import type { Response } from 'express';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ApiError } from './errors';

export interface ThrottleLimits {
  /** Failed logins allowed for one username within the window. */
  perUser: number;
  /** Failed logins allowed from one address within the window (many usernames: password spraying). */
  perAddress: number;
  windowSeconds: number;
}

/**
 * Login throttling, counted in PostgreSQL so every API replica sees the same failures. Only failures
 * count; a success forgets the user's failures (not the address's, or a sprayer with one valid
 * account could reset it).
 */
export class LoginThrottle {
  private readonly perUser: RateLimiterPostgres;
  private readonly perAddress: RateLimiterPostgres;

  constructor(
    pool: Pool,
    private readonly limits: ThrottleLimits,
  ) {
    const common = { storeClient: pool, storeType: 'pool', tableName: 'login_throttle', tableCreated: true, duration: limits.windowSeconds };
    this.perUser = new RateLimiterPostgres({ ...common, keyPrefix: 'user', points: limits.perUser });
    this.perAddress = new RateLimiterPostgres({ ...common, keyPrefix: 'address', points: limits.perAddress });
  }

  /** Refuses with 429 (and Retry-After) when either budget is spent; the password is not even checked. */
  async check(username: string, address: string, res: Response): Promise<void> {
    const [user, from] = await Promise.all([this.perUser.get(userKey(username)), this.perAddress.get(address)]);
    const spent = [
      user && user.consumedPoints >= this.limits.perUser ? user : null,
      from && from.consumedPoints >= this.limits.perAddress ? from : null,
    ].filter((r): r is RateLimiterRes => r !== null);
    if (!spent.length) return;
    const retryAfter = Math.max(1, Math.ceil(Math.max(...spent.map((r) => r.msBeforeNext)) / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    throw new ApiError(429, 'too_many_attempts', `too many failed sign-ins; try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
  }

  async failed(username: string, address: string): Promise<void> {
    // consume() rejects once a budget is exceeded; that is check()'s business on the next attempt.
    await Promise.all([this.perUser.consume(userKey(username)).catch(spentOnly), this.perAddress.consume(address).catch(spentOnly)]);
  }

  async succeeded(username: string): Promise<void> {
    await this.perUser.delete(userKey(username));
  }
}

const userKey = (username: string) => username.trim().toLowerCase();
function spentOnly(err: unknown): void {
  if (!(err instanceof RateLimiterRes)) throw err;
}
