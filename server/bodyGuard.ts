import type { RequestHandler } from 'express';
import type { Problem } from '../playbooks/problems';
import { invalid } from './errors';

/** Deeper than any real playbook config; deeper still would overflow the stack somewhere later. */
export const MAX_BODY_DEPTH = 64;

/**
 * Refuses JSON that PostgreSQL or the workflow cannot hold, at the door, with every place named:
 * NUL characters and lone UTF-16 surrogates in strings (or keys), and absurd nesting. Letting them
 * in would fail later, inside a transaction or a workflow activity that then retries forever.
 */
export function findBodyProblems(body: unknown): Problem[] {
  const problems: Problem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  while (stack.length && problems.length < 50) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = badString(value);
      if (bad)
        problems.push({
          code: bad,
          message: bad === 'nul_character' ? 'text may not contain NUL characters' : 'text contains an invalid (lone surrogate) character',
          path,
        });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    if (path.length >= MAX_BODY_DEPTH) {
      problems.push({ code: 'too_deep', message: `nested more than ${MAX_BODY_DEPTH} levels`, path });
      continue;
    }
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else {
      for (const [k, v] of Object.entries(value)) {
        const bad = badString(k);
        if (bad) problems.push({ code: bad, message: 'a key contains an invalid character', path: [...path, k] });
        stack.push({ value: v, path: [...path, k] });
      }
    }
  }
  return problems;
}

function badString(s: string): 'nul_character' | 'invalid_character' | null {
  if (s.includes('\u0000')) return 'nul_character';
  // isWellFormed: no lone surrogates (Node 20).
  return (s as string & { isWellFormed(): boolean }).isWellFormed() ? null : 'invalid_character';
}

export const bodyGuard: RequestHandler = (req, _res, next) => {
  if (req.body && typeof req.body === 'object') {
    const problems = findBodyProblems(req.body);
    if (problems.length) return next(invalid(problems, 'the body contains text or nesting that cannot be stored'));
  }
  next();
};
