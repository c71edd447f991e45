import { canReadAnalytics } from '../analytics/access';
import { canAudit } from '../audit/eventKinds';
import { roleLabel } from '../format';
import { canReadOperate } from '../operate/access';
import { href } from '../router';
import { useSession } from '../session';

export type Section = 'inbox' | 'playbooks' | 'customers' | 'audit' | 'analytics' | 'rules' | 'operate' | null;

export function TopBar({ section }: { section: Section }) {
  const { user, signOut } = useSession();
  return (
    <header className="topbar">
      <a className="topbar__brand" href={href({ name: 'home' })}>
        <span className="topbar__logo" aria-hidden="true">
          ↺
        </span>
        Retention playbooks
      </a>
      <nav className="topbar__nav" aria-label="Main">
        <a
          href={href({ name: 'inbox', taskId: null })}
          className={section === 'inbox' ? 'is-active' : undefined}
          aria-current={section === 'inbox' ? 'page' : undefined}
        >
          Inbox
        </a>
        <a
          href={href({ name: 'playbooks' })}
          className={section === 'playbooks' ? 'is-active' : undefined}
          aria-current={section === 'playbooks' ? 'page' : undefined}
        >
          Playbooks
        </a>
        {/* Every role reads customers (within their reach); the server scopes the search. */}
        <a
          href={href({ name: 'customers' })}
          className={section === 'customers' ? 'is-active' : undefined}
          aria-current={section === 'customers' ? 'page' : undefined}
        >
          Customers
        </a>
        {canReadOperate(user.role) && (
          <a
            href={href({ name: 'operate', query: '' })}
            className={section === 'operate' ? 'is-active' : undefined}
            aria-current={section === 'operate' ? 'page' : undefined}
          >
            Attempts
          </a>
        )}
        {canAudit(user.role) && (
          <a href={href({ name: 'audit' })} className={section === 'audit' ? 'is-active' : undefined} aria-current={section === 'audit' ? 'page' : undefined}>
            Audit
          </a>
        )}
        {canReadAnalytics(user.role) && (
          <a
            href={href({ name: 'analytics' })}
            className={section === 'analytics' ? 'is-active' : undefined}
            aria-current={section === 'analytics' ? 'page' : undefined}
          >
            Dashboard
          </a>
        )}
        {user.role !== 'rep' && (
          <a href={href({ name: 'rules' })} className={section === 'rules' ? 'is-active' : undefined} aria-current={section === 'rules' ? 'page' : undefined}>
            At-risk rules
          </a>
        )}
        {(user.role === 'ops_manager' || user.role === 'admin') && <a href={href({ name: 'imports' })}>Import</a>}
      </nav>
      <div className="topbar__user">
        <span className="topbar__name">{user.displayName}</span>
        <span className="badge">{roleLabel(user.role)}</span>
        <button type="button" className="btn btn--ghost btn--small" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
