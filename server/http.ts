import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../contract/roles';
import { problemsFromZod, type Problem } from '../playbooks/problems';
import type { Actor } from '../playbooks/runtime/types';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { ApiError, forbidden, invalid, unauthenticated } from './errors';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey, runIdempotently } from './idempotency';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
}

export function actorOf(user: SessionUser): Actor {
  return { userId: user.id, role: user.role, department: user.department };
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext<B, Q> {
  user: SessionUser;
  body: B;
  query: Q;
  params: Record<string, string>;
  req: Request;
  res: Response;
  /** The request's Idempotency-Key, on routes that accept one. */
  idempotencyKey: string | null;
}

/**
 * One API route: who may call it, what it accepts (zod), and what it does. The router, the role
 * checks and the OpenAPI document are all derived from this one declaration.
 */
export interface RouteDef<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** `public`: no session needed; `signed_in`: any role; otherwise the roles allowed. */
  access: 'public' | 'signed_in' | readonly Role[];
  body?: z.ZodType<B>;
  /**
   * `handler`: `body` documents the body, but the handler checks it itself (a playbook graph is
   * checked on a compile thread, off the event loop) and receives it as sent.
   */
  bodyCheckedBy?: 'handler';
  query?: z.ZodType<Q>;
  /** A POST that changes nothing (compile, replay): auditors may call it. */
  safe?: boolean;
  /**
   * Accepts an `Idempotency-Key` header (UUID): a repeat with the same key gets the first answer,
   * never a second effect or a 409. The handler reads the key from `ctx.idempotencyKey` and keys
   * what it does in Temporal with it (Update id, response id, attempt id), so a re-run is safe.
   */
  idempotent?: boolean;
  /**
   * The JSON body of a success (contract/<area>.ts): documented in the OpenAPI document, and checked
   * on every answer in tests, so server and editor cannot drift apart. Routes that stream or send
   * HTML have none.
   */
  response?: z.ZodType;
  /** The 2xx statuses answered with `response`; 200 unless said. */
  success?: readonly number[];
  /** A path kept for existing clients; the OpenAPI document marks it deprecated. */
  deprecated?: boolean;
  /** Documented outcomes besides 200, e.g. {404: 'no such playbook'}. */
  errors?: Record<number, string>;
  /**
   * `alongside`: a GET that only reads and answers JSON (it never writes to `res` itself and
   * changes nothing) may start as the user its credential had when last checked, while PostgreSQL
   * checks the session again. The answer waits for that check and is sent only when it found that
   * very user; otherwise the route runs again as whoever the check found (none: 401). Revocation
   * still takes effect at once; the session's round trip just no longer comes before the route's own.
   */
  sessionCheck?: 'before' | 'alongside';
  handle(ctx: RouteContext<B, Q>): Promise<unknown | Reply>;
}

export function route<B = undefined, Q = undefined>(def: RouteDef<B, Q>): RouteDef<unknown, unknown> {
  return def as unknown as RouteDef<unknown, unknown>;
}

/**
 * The same route under an older path, for clients that still call it: same roles, schemas and
 * handler; marked deprecated in the OpenAPI document.
 */
export function deprecatedAlias(def: RouteDef, path: string): RouteDef {
  return { ...def, path, deprecated: true, summary: `${def.summary} (deprecated path: use ${def.method.toUpperCase()} ${def.path})` };
}

/** What is wrong with a success body against its declared schema, judged on the JSON as it travels. */
export function responseProblems(schema: z.ZodType, body: unknown): Problem[] {
  const travelled: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const parsed = schema.safeParse(travelled);
  return parsed.success ? [] : problemsFromZod(parsed.error.issues, ['response']);
}

/**
 * Finds the signed-in user of a request in PostgreSQL: authoritative, on every request.
 * `remembered` answers without a query: the user this request's credential belonged to when it was
 * last checked, or null. A guess to start an `alongside` route with, never a credential.
 */
export interface SessionResolver {
  (req: Request): Promise<SessionUser | null>;
  remembered?(req: Request): SessionUser | null;
}

const sameUser = (a: SessionUser, b: SessionUser) =>
  a.id === b.id && a.role === b.role && a.department === b.department && a.username === b.username && a.displayName === b.displayName;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
/** The outcome either way, so a route started on a guess that turns out wrong leaves no unhandled rejection. */
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value): Settled<T> => ({ ok: true, value }),
    (error: unknown): Settled<T> => ({ ok: false, error }),
  );

export interface MountOptions {
  /** Check every success body against the route's `response` schema; on by default under jest (NODE_ENV=test). */
  checkResponses?: boolean;
  log?: Logger;
}

export function reply(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return { status, body, headers };
}

/**
 * A body already written as JSON (by PostgreSQL, say): sent as it is, not parsed and serialized
 * again. Under test it is still parsed and checked against the route's response schema.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

const plainBody = (body: unknown) => (body instanceof JsonText ? JSON.parse(body.text) : body);

function isReply(value: unknown): value is Reply {
  return (
    !!value && typeof value === 'object' && 'status' in value && 'body' in value && Object.keys(value).every((k) => ['status', 'body', 'headers'].includes(k))
  );
}

/** Longer than any filter, id or cursor a client has reason to send. */
const MAX_QUERY_VALUE = 2000;

/**
 * Query strings get the treatment bodies get: every parameter a plain string (no repeats, no
 * `a[$ne]=` shapes), no NUL or lone surrogates (PostgreSQL cannot compare them), bounded, and only
 * the parameters the route declares: an unknown one is a mistake to report, not to ignore (a
 * misspelt filter would otherwise return everything).
 */
function queryProblems(query: unknown, declared: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    const path = ['query', name];
    if (!declared.has(name))
      problems.push({
        code: 'unknown_parameter',
        message: declared.size ? `not a parameter of this route; it takes ${[...declared].join(', ')}` : 'this route takes no query parameters',
        path,
      });
    else if (typeof value !== 'string') problems.push({ code: 'invalid_parameter', message: 'expected one plain value', path });
    else if (value.includes('\u0000') || !(value as string & { isWellFormed(): boolean }).isWellFormed())
      problems.push({ code: 'invalid_parameter', message: 'text may not contain NUL or invalid characters', path });
    else if (value.length > MAX_QUERY_VALUE) problems.push({ code: 'invalid_parameter', message: `at most ${MAX_QUERY_VALUE} characters`, path });
    if (problems.length >= 50) break;
  }
  return problems;
}

/** The route's query schema, refusing parameters it does not declare, and the names it declares. */
function strictQuery(schema: z.ZodType | undefined): { schema: z.ZodType | undefined; names: ReadonlySet<string> } {
  if (!(schema instanceof z.ZodObject)) return { schema, names: new Set() };
  return { schema: schema.strict(), names: new Set(Object.keys(schema.shape)) };
}

export function mount(router: Router, routes: RouteDef[], resolveUser: SessionResolver, pool?: Pool, options: MountOptions = {}): void {
  const checkResponses = options.checkResponses ?? process.env.NODE_ENV === 'test';
  for (const def of routes) {
    const { schema: querySchema, names: queryNames } = strictQuery(def.query);
    if (def.sessionCheck === 'alongside' && (def.method !== 'get' || !def.response || def.idempotent || def.access === 'public'))
      throw new Error(`${def.method.toUpperCase()} ${def.path}: only a signed-in GET answering JSON may check its session alongside`);
    router[def.method](def.path, async (req, res, next) => {
      /** Everything after the session lookup, for the user it found: role, body, query, the handler, the contract check. */
      const serve = async (user: SessionUser | null): Promise<Reply | null> => {
        if (def.access !== 'public') {
          if (!user) throw unauthenticated();
          if (def.access !== 'signed_in' && !def.access.includes(user.role)) throw forbidden(`role ${user.role} may not ${def.summary.toLowerCase()}`);
        }
        let body: unknown = undefined;
        if (def.body && def.bodyCheckedBy === 'handler') {
          body = req.body;
        } else if (def.body) {
          const parsed = def.body.safeParse(req.body);
          if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues));
          body = parsed.data;
        }
        const badQuery = queryProblems(req.query, queryNames);
        if (badQuery.length) throw invalid(badQuery, 'the query string is not valid');
        let query: unknown = undefined;
        if (querySchema) {
          const parsed = querySchema.safeParse(req.query);
          if (!parsed.success) throw invalid(problemsFromZod(parsed.error.issues, ['query']));
          query = parsed.data;
        }
        const idempotencyKey = def.idempotent ? parseIdempotencyKey(req.headers['idempotency-key']) : null;
        const handle = async (): Promise<Reply | null> => {
          const result = await def.handle({ user: user as SessionUser, body, query, params: req.params as Record<string, string>, req, res, idempotencyKey });
          if (res.headersSent) return null;
          const out = isReply(result) ? result : { status: 200, body: result };
          if (checkResponses && def.response && out.status >= 200 && out.status < 300) {
            // Before the answer is kept for an Idempotency-Key: a violation is never replayed as a success.
            const problems = responseProblems(def.response, plainBody(out.body));
            if (problems.length) {
              options.log?.error({ route: `${def.method.toUpperCase()} ${def.path}`, problems }, 'response does not match its declared schema');
              throw new ApiError(
                500,
                'response_contract_violation',
                `the answer of ${def.method.toUpperCase()} ${def.path} does not match its declared schema`,
                {
                  problems,
                },
              );
            }
          }
          return out;
        };
        if (idempotencyKey && pool && user) {
          const kept = await runIdempotently(
            pool,
            { userId: user.id, key: idempotencyKey, operation: `${req.method} ${req.path}`, body: req.body ?? null },
            async () => {
              const r = await handle();
              return r ? { ...r, body: plainBody(r.body) } : { status: 500, body: null };
            },
          );
          return { status: kept.status, body: kept.body, headers: kept.replayed ? { 'Idempotent-Replayed': 'true' } : undefined };
        }
        return handle();
      };
      try {
        for (const [name, value] of Object.entries(req.params ?? {})) {
          if (
            typeof value === 'string' &&
            (value.includes('\u0000') || !(value as string & { isWellFormed(): boolean }).isWellFormed() || value.length > 200)
          ) {
            throw invalid([{ code: 'invalid_parameter', message: 'the path parameter is not valid', path: ['params', name] }]);
          }
        }
        const guess = def.sessionCheck === 'alongside' ? (resolveUser.remembered?.(req) ?? null) : null;
        let out: Reply | null;
        if (guess) {
          // The check and the route's own queries share the wait; nothing is sent before the check answers,
          // and only an answer computed for the very user the check found.
          const [checked, early] = await Promise.all([resolveUser(req), settle(serve(guess))]);
          if (checked && sameUser(checked, guess)) {
            if (!early.ok) throw early.error;
            out = early.value;
          } else out = await serve(checked);
        } else {
          out = await serve(await resolveUser(req));
        }
        if (!out || res.headersSent) return;
        for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
        if (out.body instanceof JsonText) res.status(out.status).type('application/json').send(out.body.text);
        else res.status(out.status).json(out.body);
      } catch (err) {
        next(err);
      }
    });
  }
}

/** OpenAPI 3.1 from the route declarations and their zod schemas; nothing written by hand. */
export function openApiDocument(routes: RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorBody = {
    type: 'object',
    properties: {
      error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['code', 'message'] },
    },
  };
  for (const def of routes) {
    const oaPath = def.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const params: { name: string; in: string; required: boolean; schema: unknown; description?: string }[] = [...def.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(
      (m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }),
    );
    if (def.idempotent) {
      params.push({
        name: IDEMPOTENCY_HEADER,
        in: 'header',
        required: false,
        schema: { type: 'string', format: 'uuid' },
        description:
          'A UUID of your choosing per logical request. A repeat with the same key returns the first answer (same status and body, header Idempotent-Replayed: true), never a second effect or a 409; a repeat while the first is in flight waits for it; the same key with another body is refused (422 idempotency_key_reused). After a 503 the change may still be applied: retry with the same key. Keys are kept for 24 hours.',
      });
    }
    if (def.query) {
      const schema = z.toJSONSchema(def.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(schema.properties ?? {}))
        params.push({ name, in: 'query', required: (schema.required ?? []).includes(name), schema: s as { type: string } });
    }
    const responses: Record<string, unknown> = {};
    for (const status of def.success ?? [200])
      responses[status] = def.response
        ? { description: 'OK', content: { 'application/json': { schema: z.toJSONSchema(def.response, { io: 'output', unrepresentable: 'any' }) } } }
        : { description: 'OK' };
    if (def.access !== 'public') {
      responses[401] = { description: 'no session or token', content: { 'application/json': { schema: errorBody } } };
      responses[403] = { description: 'role not allowed', content: { 'application/json': { schema: errorBody } } };
    }
    if (def.body || def.query)
      responses[400] = {
        description: `invalid ${def.body ? 'body' : 'query string'}: every problem with its path`,
        content: { 'application/json': { schema: errorBody } },
      };
    for (const [status, description] of Object.entries(def.errors ?? {}))
      responses[status] = { description, content: { 'application/json': { schema: errorBody } } };
    paths[oaPath] = {
      ...(paths[oaPath] ?? {}),
      [def.method]: {
        summary: def.summary,
        tags: [def.tag],
        'x-roles': def.access,
        ...(def.deprecated ? { deprecated: true } : {}),
        ...(def.safe ? { 'x-safe': true } : {}),
        ...(def.access === 'public' ? { security: [] } : {}),
        parameters: params,
        ...(def.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(def.body, { io: 'input', unrepresentable: 'any' }) } } } }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Retention playbook engine API', version: '1.0.0' },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' }, bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ session: [] }, { bearer: [] }],
    paths,
  };
}
