import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { z } from 'zod';
import { AttemptDetail, AttemptList, StartedAttempt } from '../../contract/attempts';
import { AttemptExport, AttemptStory, AuditRows, ChainVerdict, ReplayVerdict } from '../../contract/audit';
import { LoginResponse, MeResponse } from '../../contract/auth';
import { ContactRecorded, CustomerFile, CustomerList } from '../../contract/customers';
import { CompleteResult, InboxPage, Note, TaskDetail, TaskResult, UserList } from '../../contract/inbox';
import { CompileResult, DraftSaved, PlaybookDetail, PlaybookList, PlaybookVersion, Published } from '../../contract/playbooks';
import { errorHandler } from '../../server/errors';
import { mount, route, type SessionUser } from '../../server/http';
import { newCustomer, startProduct, terminateRunningAttempts, type Product } from '../support/product';

/**
 * The contract between server and editor (contract/*.ts): every JSON route declares the body it
 * answers, the OpenAPI document carries it, and under jest every answer is checked against it, so
 * a handler that drifts from what the editor reads fails the suite instead of the browser.
 */

/** Routes that answer something other than one JSON body. */
const NOT_JSON = new Set([
  'get /api/inbox/events', // server-sent events (contract/inbox.ts TaskChange per message)
  'get /api/attempts/{id}/report', // printable HTML
  'get /api/runs/{id}/report', // the same, under its deprecated path
]);

type Operation = { responses: Record<string, { content?: Record<string, { schema?: unknown }> }>; deprecated?: boolean };

describe('the API contract', () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct();
  });
  afterAll(async () => {
    await terminateRunningAttempts(product, 'contract-call-back');
    await product.stop();
  });

  it('every route that answers JSON declares its response schema in the OpenAPI document', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, Operation>> }>('GET', '/api/openapi.json', { token: await product.login('olga') });
    expect(doc.status).toBe(200);
    const operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ id: `${method} ${path}`, op })),
    );
    const lacking = operations
      .filter(({ id }) => !NOT_JSON.has(id))
      .filter(({ op }) => !Object.entries(op.responses).some(([status, r]) => status.startsWith('2') && r.content?.['application/json']?.schema))
      .map(({ id }) => id);
    expect(lacking).toEqual([]);
    // The exceptions are real routes, so the list cannot go stale unnoticed.
    for (const id of NOT_JSON) expect(operations.map((o) => o.id)).toContain(id);
  });

  it('the attempt routes are canonical under /api/attempts; /api/runs stays as deprecated aliases', async () => {
    const doc = await product.api<{ paths: Record<string, Record<string, Operation>> }>('GET', '/api/openapi.json', { token: await product.login('olga') });
    const paths = doc.body.paths;
    for (const [path, method] of [
      ['/api/attempts', 'post'],
      ['/api/attempts', 'get'],
      ['/api/attempts/{id}', 'get'],
      ['/api/attempts/{id}/responses', 'post'],
      ['/api/attempts/{id}/timeline', 'get'],
      ['/api/attempts/{id}/replay', 'get'],
      ['/api/attempts/{id}/export', 'get'],
      ['/api/attempts/{id}/report', 'get'],
    ] as const) {
      expect({ path, method, deprecated: paths[path]?.[method]?.deprecated ?? false }).toEqual({ path, method, deprecated: false });
      const old = path.replace('/api/attempts', '/api/runs');
      expect({ old, method, deprecated: paths[old]?.[method]?.deprecated }).toEqual({ old, method, deprecated: true });
    }
  });

  it('a handler that answers something else than it declares is caught: 500 response_contract_violation, logged', async () => {
    const errors: unknown[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
    const user: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga', role: 'ops_manager', department: null };
    const app = express();
    const router = express.Router();
    mount(
      router,
      [
        route({
          method: 'get',
          path: '/wrong',
          summary: 'Answer a count as text',
          tag: 'test',
          access: 'signed_in',
          response: z.object({ count: z.number(), names: z.array(z.string()) }),
          async handle() {
            return { count: 'three', names: ['a'] };
          },
        }),
        route({
          method: 'get',
          path: '/right',
          summary: 'Answer what it declares',
          tag: 'test',
          access: 'signed_in',
          response: z.object({ at: z.iso.datetime() }),
          async handle() {
            // A Date travels as ISO text: the check judges the JSON as sent.
            return { at: new Date() };
          },
        }),
      ],
      async () => user,
      undefined,
      { log },
    );
    app.use(router);
    app.use(errorHandler(log));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const wrong = await fetch(`${base}/wrong`);
      expect(wrong.status).toBe(500);
      const body = (await wrong.json()) as { error: { code: string; details: { problems: { path: unknown[] }[] } } };
      expect(body.error.code).toBe('response_contract_violation');
      expect(body.error.details.problems.map((p) => p.path)).toEqual([['response', 'count']]);
      expect(errors).toEqual([expect.objectContaining({ msg: 'response does not match its declared schema', route: 'GET /wrong' })]);
      const right = await fetch(`${base}/right`);
      expect(right.status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('real calls of the main routes answer what their schemas declare', async () => {
    const ops = await product.login('olga');
    const rep = await product.login('rita');
    const auditor = await product.login('aude');
    /** Calls the route and checks the body against the schema here as well (mount already did, for JSON routes). */
    async function call<T extends z.ZodType>(schema: T, method: string, path: string, token: string, body?: unknown, status = 200): Promise<z.infer<T>> {
      const res = await product.api(method, path, { token, body });
      expect({ route: `${method} ${path}`, status: res.status }).toEqual({ route: `${method} ${path}`, status });
      const parsed = schema.safeParse(res.body);
      expect({ route: `${method} ${path}`, problems: parsed.success ? [] : parsed.error.issues }).toEqual({ route: `${method} ${path}`, problems: [] });
      return parsed.data as z.infer<T>;
    }

    const login = await product.api('POST', '/api/auth/login', { body: { username: 'olga', password: 'demo' } });
    expect(LoginResponse.safeParse(login.body).success).toBe(true);
    await call(MeResponse, 'GET', '/api/auth/me', rep);
    await call(PlaybookList, 'GET', '/api/playbooks', rep);
    const template = await call(PlaybookVersion, 'GET', '/api/playbooks/call-back/versions/1', ops);
    // Compile answers with the plan spliced in as text, past mount's check: checked here.
    await call(CompileResult, 'POST', '/api/playbooks/compile', ops, { graph: template.graph });
    await call(DraftSaved, 'PUT', '/api/playbooks/contract-call-back/draft', ops, { name: 'Contract call-back', graph: template.graph });
    await call(PlaybookDetail, 'GET', '/api/playbooks/contract-call-back', ops);
    const published = await call(Published, 'POST', '/api/playbooks/contract-call-back/publish', ops, undefined, 201);

    const customerId = await newCustomer(product.pool);
    const started = await call(
      StartedAttempt,
      'POST',
      '/api/attempts',
      ops,
      { playbookKey: 'contract-call-back', version: published.version, customerId },
      201,
    );
    let page = await call(InboxPage, 'GET', `/api/inbox?customerId=${customerId}`, rep);
    for (let i = 0; i < 100 && page.tasks.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await call(InboxPage, 'GET', `/api/inbox?customerId=${customerId}`, rep);
    }
    const task = page.tasks[0];
    expect(task.attemptId).toBe(started.id);
    await call(TaskDetail, 'GET', `/api/tasks/${task.id}`, rep);
    await call(TaskResult, 'POST', `/api/tasks/${task.id}/claim`, rep, {});
    await call(Note, 'POST', `/api/tasks/${task.id}/notes`, rep, { body: 'rang, no answer yet' });
    await call(UserList, 'GET', '/api/users', rep);
    await call(ContactRecorded, 'POST', `/api/customers/${customerId}/contacts`, rep, { kind: 'call', channel: 'phone', summary: 'left a message' }, 201);
    await call(CustomerFile, 'GET', `/api/customers/${customerId}`, rep);
    await call(CustomerList, 'GET', '/api/customers', rep);
    const outcome = task.outcomes[0].key;
    await call(CompleteResult, 'POST', `/api/tasks/${task.id}/complete`, rep, { outcome, form: {} });

    await call(AttemptDetail, 'GET', `/api/attempts/${started.id}`, rep);
    await call(AttemptDetail, 'GET', `/api/runs/${started.id}`, rep);
    const list = await call(AttemptList, 'GET', `/api/attempts?customerId=${customerId}`, rep);
    expect(list.runs.map((a) => a.id)).toEqual([started.id]);
    await call(AttemptStory, 'GET', `/api/attempts/${started.id}/timeline`, auditor);
    await call(ReplayVerdict, 'GET', `/api/attempts/${started.id}/replay`, auditor);
    await call(AttemptExport, 'GET', `/api/attempts/${started.id}/export`, auditor);
    await call(AuditRows, 'GET', `/api/audit?attemptId=${started.id}`, auditor);
    await call(ChainVerdict, 'GET', '/api/audit/verify', auditor);
  });
});
