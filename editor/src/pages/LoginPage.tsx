import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../api';
import { roleLabel } from '../format';
import type { User } from '../types';

const DEMO_USERS = [
  { username: 'olga', role: 'ops_manager' },
  { username: 'rita', role: 'rep' },
  { username: 'hana', role: 'department_head' },
  { username: 'aude', role: 'auditor' },
  { username: 'adam', role: 'admin' },
];
const DEMO_PASSWORD = 'demo';

export function LoginPage({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.login(username.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  function fillDemo(name: string) {
    setUsername(name);
    setPassword(DEMO_PASSWORD);
    setError(null);
  }

  return (
    <div className="login">
      <div className="login__card">
        <h1 className="login__title">
          <span className="topbar__logo" aria-hidden="true">
            ↺
          </span>
          Retention playbooks
        </h1>
        <p className="muted">Sign in to design and run win-back playbooks.</p>
        <form onSubmit={submit} className="form">
          <label className="field">
            <span>Username</span>
            <input autoFocus autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
          </label>
          <label className="field">
            <span>Password</span>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </label>
          {error && (
            <div className="status status--error status--inline" role="alert">
              {error}
            </div>
          )}
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <div className="login__demo">
          <p>
            Demo users (password <code>{DEMO_PASSWORD}</code>):
          </p>
          <ul>
            {DEMO_USERS.map((u) => (
              <li key={u.username}>
                <button type="button" className="linklike" onClick={() => fillDemo(u.username)}>
                  {u.username}
                </button>{' '}
                <span className="muted">{roleLabel(u.role)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
