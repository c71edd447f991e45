import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorBox, Loading } from '../components/Status';
import { humanize } from '../format';
import { churnReasonLabel, tierLabel } from '../inbox/format';
import { navigate } from '../router';
import { useDepartments } from '../useDepartments';
import { customersApi, type Customer } from './customersApi';
import './customers.css';

type Results = { status: 'idle' } | { status: 'loading'; q: string } | { status: 'ok'; q: string; customers: Customer[] } | { status: 'error'; error: unknown };

/** Typing pauses this long before asking: one search per word, not per key. */
const DEBOUNCE_MS = 250;

/**
 * Find a customer by name or id (within your reach: the server scopes the search) and open their
 * file. `/` focuses the search from anywhere on the page; arrows move through the results and Enter
 * opens the highlighted one.
 */
export function CustomersPage() {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const departments = useDepartments();

  useEffect(() => {
    const term = q.trim();
    if (!term) {
      setResults({ status: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setResults({ status: 'loading', q: term });
      customersApi.search(term, ctrl.signal).then(
        (customers) => {
          setResults({ status: 'ok', q: term, customers });
          setActive(0);
        },
        (error: unknown) => {
          if (!ctrl.signal.aborted) setResults({ status: 'error', error });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  useEffect(() => {
    input.current?.focus();
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const customers = results.status === 'ok' ? results.customers : [];
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (customers.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + customers.length) % customers.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const chosen = customers[Math.min(active, customers.length - 1)];
      if (chosen) navigate({ name: 'customer', customerId: chosen.id });
    }
  };
  const optionId = (i: number) => `customer-option-${i}`;

  return (
    <div className="page customers-page">
      <header className="page__header">
        <div>
          <h1>Customers</h1>
          <p className="muted">Find a customer by name or id to open their file and start a recovery attempt.</p>
        </div>
      </header>
      <div className="customers-search">
        <label htmlFor="customer-search">Search customers</label>
        <input
          ref={input}
          id="customer-search"
          type="search"
          role="combobox"
          aria-expanded={customers.length > 0}
          aria-controls="customer-results"
          aria-autocomplete="list"
          aria-activedescendant={customers.length > 0 ? optionId(active) : undefined}
          aria-describedby="customer-search-hint"
          placeholder="Name or id, e.g. Northwind or C-1003"
          autoComplete="off"
          maxLength={100}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="customer-search"
        />
        <span id="customer-search-hint" className="muted small">
          Press <kbd>/</kbd> to search, <kbd>↑</kbd> <kbd>↓</kbd> to choose, <kbd>Enter</kbd> to open.
        </span>
      </div>
      {results.status === 'idle' && <p className="muted">Type part of a name or an id.</p>}
      {results.status === 'loading' && <Loading label="Searching…" />}
      {results.status === 'error' && <ErrorBox title="Could not search the customers" error={results.error} />}
      {results.status === 'ok' && results.customers.length === 0 && (
        <p className="muted" role="status">
          No customer within your reach matches “{results.q}”.
        </p>
      )}
      {/* The list box the search box drives (the combobox pattern): a click opens a result as Enter does. */}
      <ul id="customer-results" className="customer-results" role="listbox" aria-label="Customers found" hidden={customers.length === 0}>
        {customers.map((c, i) => (
          <li
            key={c.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'customer-result is-active' : 'customer-result'}
            onMouseEnter={() => setActive(i)}
            onClick={() => navigate({ name: 'customer', customerId: c.id })}
            data-testid="customer-result"
          >
            <span className="customer-result__name">
              {c.name} <span className="muted small">{c.id}</span>
            </span>
            <span className={`grade grade--${c.grade}`}>{tierLabel(c.grade)}</span>
            <span className="customer-result__meta">
              {c.department ? (c.departmentName ?? departments.name(c.department)) : 'No department'} · {humanize(c.status)}
              {c.churnReason && <> · {churnReasonLabel(c.churnReason)}</>}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
