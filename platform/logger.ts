import pino from 'pino';

/** Structured JSON logs (pino); one logger per process, named by what the process is. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ name, level });
}
