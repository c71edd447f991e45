import { existsSync } from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express from 'express';
import { OpenApiDocument } from '../contract/openapi';
import { sessionResolver, authRoutes } from './auth';
import type { Deps } from './deps';
import { AuditAnchor, attachAnchor, startCheckpoints } from './audit/anchor';
import { closeReplayer } from './audit/replay';
import { closeCompilePool } from './compilePool';
import { bodyGuard } from './bodyGuard';
import { csrfGuard } from './csrf';
import { errorHandler } from './errors';
import { mount, openApiDocument, route, type RouteDef } from './http';
import { TaskChangeHub } from './inbox/live';
import { analyticsRoutes } from './routes/analytics';
import { answerLinkRoutes } from './routes/answerLinks';
import { activityRoutes } from './routes/activity';
import { auditRoutes } from './routes/audit';
import { customerAttributeRoutes } from './routes/customerAttributes';
import { importRoutes } from './routes/imports';
import { riskRoutes } from './routes/risk';
import { creditRoutes } from './routes/credit';
import { customerRoutes } from './routes/customers';
import { departmentRoutes } from './routes/departments';
import { playbookRoutes } from './routes/playbooks';
import { playbookLifecycleRoutes } from './routes/playbookLifecycle';
import { attemptRoutes } from './routes/runs';
import { operateRoutes } from './routes/operate';
import { operateListRoutes } from './routes/operateList';
import { taskRoutes } from './routes/tasks';
import { securityHeaders } from './securityHeaders';

export function apiRoutes(deps: Deps, hub: TaskChangeHub): RouteDef[] {
  const routes: RouteDef[] = [
    ...authRoutes(deps.pool, deps.config),
    ...playbookRoutes(deps),
    ...playbookLifecycleRoutes(deps),
    ...attemptRoutes(deps),
    ...taskRoutes(deps, hub),
    ...customerRoutes(deps),
    ...departmentRoutes(deps),
    ...creditRoutes(deps),
    ...auditRoutes(deps),
    ...activityRoutes(deps),
    ...customerAttributeRoutes(deps),
    ...importRoutes(deps),
    ...riskRoutes(deps),
    ...analyticsRoutes(deps),
    ...operateListRoutes(deps),
    ...operateRoutes(deps),
  ];
  routes.push(
    route({
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document, generated from the route declarations',
      tag: 'meta',
      access: 'signed_in',
      response: OpenApiDocument,
      async handle() {
        return openApiDocument(routes);
      },
    }),
  );
  return routes;
}

/** Each dependency gets this long to answer /healthz, so the whole check answers within a second. */
export const HEALTH_CHECK_MS = 800;

/** A check's verdict: 'ok', or why not; it never waits longer than `ms`. */
async function bounded(what: string, check: (deadline: number) => Promise<unknown>, ms = HEALTH_CHECK_MS): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`error: ${what} did not answer within ${ms} ms`), ms);
  });
  const answered = check(Date.now() + ms).then(
    () => 'ok',
    (e: Error) => `error: ${e.message}`,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each part says 'ok' or what is wrong with it ('error: …'). */
export interface Health {
  ok: boolean;
  postgres: string;
  temporal: string;
}

export async function health(deps: Deps): Promise<Health> {
  const [postgres, temporal] = await Promise.all([
    bounded('PostgreSQL', () => deps.pool.query('SELECT 1')),
    // A gRPC deadline, not only the race: the client's retries would otherwise go on for ~20 s per poll.
    bounded('Temporal', (deadline) => deps.temporal.withDeadline(deadline, () => deps.temporal.workflowService.getSystemInfo({}))),
  ]);
  return { ok: postgres === 'ok' && temporal === 'ok', postgres, temporal };
}

/** Ends what the app holds open (live inbox streams, the LISTEN connection). */
export async function closeApp(app: express.Express): Promise<void> {
  await (app.locals.close as (() => Promise<void>) | undefined)?.();
  await closeReplayer();
  await closeCompilePool();
}

/** "true"/"false", a hop count, or Express's names and address lists ("loopback", "10.0.0.0/8"). */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function createApp(deps: Deps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (deps.config.TRUST_PROXY) app.set('trust proxy', trustProxy(deps.config.TRUST_PROXY));
  app.set('etag', false);
  app.use(securityHeaders(deps.config.MODE));
  // Large enough for an uploaded Temporal history (POST /api/replay).
  app.use(express.json({ limit: '20mb' }));
  app.use(cookieParser());
  app.use(bodyGuard);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () =>
      deps.log.debug({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request'),
    );
    next();
  });

  app.get('/healthz', async (_req, res) => {
    const status = await health(deps);
    res.status(status.ok ? 200 : 503).json(status);
  });

  app.use(answerLinkRoutes(deps));
  // Every mutation under /api, whatever its route, before any route runs.
  app.use('/api', csrfGuard(deps.config.PUBLIC_URL));
  const hub = new TaskChangeHub(deps.pool, deps.log);
  const anchor = new AuditAnchor(deps.config.AUDIT_ANCHOR_FILE ?? path.join(deps.config.dataDir, 'audit-anchor.jsonl'), deps.config.LINK_SECRET);
  attachAnchor(deps.pool, anchor);
  const stopCheckpoints = startCheckpoints(deps.pool, anchor, deps.config.AUDIT_CHECKPOINT_SECONDS, deps.log);
  // Called on shutdown: live inbox streams end and the LISTEN connection goes back to the pool.
  app.locals.close = () => {
    stopCheckpoints();
    return hub.close();
  };
  const router = express.Router();
  mount(router, apiRoutes(deps, hub), sessionResolver(deps.pool), deps.pool, { log: deps.log });
  app.use(router);
  app.use('/api', (req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.originalUrl}` } });
  });

  // The built editor (vite build → dist/editor), with client-side routes falling back to index.html.
  const editorDir = path.resolve(__dirname, '..', 'dist', 'editor');
  if (existsSync(editorDir)) {
    app.use(express.static(editorDir));
    app.get(/^\/(?!api\/|healthz|r\/).*/, (_req, res) => res.sendFile(path.join(editorDir, 'index.html')));
  }
  app.use(errorHandler(deps.log));
  return app;
}
