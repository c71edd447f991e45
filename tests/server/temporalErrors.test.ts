import { status } from '@grpc/grpc-js';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { databaseUnavailable } from '../../server/errors';
import { temporalUnavailable, WorkersUnavailableError } from '../../server/temporalErrors';

/** What Temporal's failures become for a client: each retryable one a 503 with a code to act on. */
describe('temporalUnavailable', () => {
  const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });
  it.each([
    [
      'a busy workflow (seen after a Temporal restart in the fault campaign)',
      new ServiceError('Workflow Update failed', { cause: grpc(status.RESOURCE_EXHAUSTED, 'Workflow is busy.') }),
      'temporal_busy',
    ],
    [
      'an unreachable server',
      new ServiceError('Failed to start Workflow', { cause: grpc(status.UNAVAILABLE, 'No connection established') }),
      'temporal_unavailable',
    ],
    ['a call past its deadline', grpc(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), 'temporal_timeout'],
    ['an Update that did not answer in time', new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'), 'temporal_timeout'],
    ['no worker polling', new WorkersUnavailableError(), 'workers_unavailable'],
  ])('%s → 503', (_what, err, code) => {
    expect(temporalUnavailable(err)).toMatchObject({ status: 503, code });
  });

  it('leaves other errors alone', () => {
    expect(temporalUnavailable(new Error('boom'))).toBeNull();
    expect(temporalUnavailable(grpc(status.INVALID_ARGUMENT, 'bad'))).toBeNull();
  });
});

/** PostgreSQL going away mid-request is a 503 too (the fault campaign once got a 500 from `write EPIPE`). */
describe('databaseUnavailable', () => {
  const sys = (code: string, syscall = 'write') => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });
  it.each([
    ['a socket cut while writing', sys('EPIPE')],
    ['a refused connection', sys('ECONNREFUSED', 'connect')],
    ['a Unix socket file gone', sys('ENOENT', 'connect')],
    ['the server shutting down', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a connection dropped mid-query', new Error('Connection terminated unexpectedly')],
    ['a client left unusable', new Error('Client has encountered a connection error and is not queryable')],
  ])('%s', (_what, err) => expect(databaseUnavailable(err)).toBe(true));

  it('leaves other errors alone', () => {
    expect(databaseUnavailable(sys('ENOENT', 'open'))).toBe(false);
    expect(databaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  });
});
