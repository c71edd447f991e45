import { roleLabel } from '../format';
import { href } from '../router';
import { useSession } from '../session';

export function TopBar({ section }: { section: 'playbooks' | null }) {
  const { user, signOut } = useSession();
  return (
    <header className="topbar">
      <a className="topbar__brand" href={href({ name: 'playbooks' })}>
        <span className="topbar__logo" aria-hidden="true">
          ↺
        </span>
        Retention playbooks
      </a>
      <nav className="topbar__nav" aria-label="Main">
        <a href={href({ name: 'playbooks' })} className={section === 'playbooks' ? 'is-active' : undefined}>
          Playbooks
        </a>
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
