import { useSyncExternalStore } from 'react';

/**
 * Hash routes (`#/playbooks/call-back`) so the API server can serve the built editor as static
 * files and deep links survive a reload without any server-side routing.
 */
export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'inbox'; taskId: string | null }
  | { name: 'playbooks' }
  | { name: 'playbook'; key: string }
  | { name: 'playbookEdit'; key: string }
  | { name: 'audit' }
  | { name: 'auditAttempt'; attemptId: string }
  | { name: 'analytics' }
  | { name: 'rules' }
  | { name: 'imports' }
  /** The operator's list of attempts; `query` holds its filter (`#/operate?playbook=call-back&version=2`). */
  | { name: 'operate'; query: string }
  /** Moving attempts of `from` to `to`; `query` says which ones (a filter, or `scope=selection`). */
  | { name: 'migration'; key: string; query: string }
  | { name: 'operateBatches'; batchId: string | null }
  /** Customer search (`#/customers`) and one customer's file (`#/customers/C-1002`). */
  | { name: 'customers' }
  | { name: 'customer'; customerId: string }
  | { name: 'notFound'; path: string };

export function parseRoute(hash: string): Route {
  const whole = hash.replace(/^#/, '') || '/';
  const q = whole.indexOf('?');
  const path = q < 0 ? whole : whole.slice(0, q);
  const query = q < 0 ? '' : whole.slice(q + 1);
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login' };
  if (parts[0] === 'inbox' && parts.length <= 2) return { name: 'inbox', taskId: parts[1] ?? null };
  if (parts[0] === 'playbooks' && parts.length === 1) return { name: 'playbooks' };
  if (parts[0] === 'playbooks' && parts.length === 2) return { name: 'playbook', key: parts[1] };
  if (parts[0] === 'playbooks' && parts.length === 3 && parts[2] === 'edit') return { name: 'playbookEdit', key: parts[1] };
  if (parts[0] === 'audit' && parts.length === 1) return { name: 'audit' };
  if (parts[0] === 'audit' && parts.length === 2) return { name: 'auditAttempt', attemptId: parts[1] };
  // `#/attempts/:id` names the same page: an attempt is read there by everyone, not only auditors.
  if (parts[0] === 'attempts' && parts.length === 2) return { name: 'auditAttempt', attemptId: parts[1] };
  if (parts[0] === 'customers' && parts.length === 1) return { name: 'customers' };
  if (parts[0] === 'customers' && parts.length === 2) return { name: 'customer', customerId: parts[1] };
  if (parts[0] === 'analytics' && parts.length === 1) return { name: 'analytics' };
  if ((parts[0] === 'rules' || parts[0] === 'imports') && parts.length === 1) return { name: parts[0] };
  if (parts[0] === 'operate') {
    if (parts.length === 1) return { name: 'operate', query };
    if (parts[1] === 'migrate' && parts.length === 3) return { name: 'migration', key: parts[2], query };
    if (parts[1] === 'batches' && parts.length <= 3) return { name: 'operateBatches', batchId: parts[2] ?? null };
  }
  return { name: 'notFound', path: query ? `${path}?${query}` : path };
}

const withQuery = (path: string, query: string) => (query ? `${path}?${query.replace(/^\?/, '')}` : path);

export function href(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'login':
      return '#/login';
    case 'inbox':
      return route.taskId ? `#/inbox/${encodeURIComponent(route.taskId)}` : '#/inbox';
    case 'playbooks':
      return '#/playbooks';
    case 'playbook':
      return `#/playbooks/${encodeURIComponent(route.key)}`;
    case 'playbookEdit':
      return `#/playbooks/${encodeURIComponent(route.key)}/edit`;
    case 'audit':
      return '#/audit';
    case 'auditAttempt':
      return `#/audit/${encodeURIComponent(route.attemptId)}`;
    case 'analytics':
      return '#/analytics';
    case 'rules':
    case 'imports':
      return `#/${route.name}`;
    case 'operate':
      return withQuery('#/operate', route.query);
    case 'migration':
      return withQuery(`#/operate/migrate/${encodeURIComponent(route.key)}`, route.query);
    case 'operateBatches':
      return route.batchId ? `#/operate/batches/${encodeURIComponent(route.batchId)}` : '#/operate/batches';
    case 'customers':
      return '#/customers';
    case 'customer':
      return `#/customers/${encodeURIComponent(route.customerId)}`;
    case 'notFound':
      return `#${route.path}`;
  }
}

export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const target = href(route);
  if (window.location.hash === target) return;
  if (opts.replace) {
    // replaceState does not fire hashchange, so tell subscribers ourselves.
    window.history.replaceState(null, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const getHash = () => window.location.hash;

/** The current route; re-renders on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, getHash);
  return parseRoute(hash);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
