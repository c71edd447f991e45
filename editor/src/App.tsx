import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, setUnauthorizedHandler } from './api';
import { ErrorBox, Loading } from './components/Status';
import { firstSessionCheck } from './opening';
import {
  AnalyticsPage,
  AttemptPage,
  AuditSearchPage,
  BatchesPage,
  CustomerFilePage,
  CustomersPage,
  DesignerPage,
  ImportsPage,
  InboxPage,
  MigrationPage,
  OperatePage,
  PlaybookPage,
  RulesPage,
} from './routePages';
import { preloadDepartments } from './useDepartments';
import { TopBar, type Section } from './components/TopBar';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { PlaybookListPage } from './pages/PlaybookListPage';
import { navigate, useRoute, type Route } from './router';
import { SessionContext, type Session } from './session';
import type { User } from './types';

/** Reps and department heads work the inbox; auditors start at the audit search; everyone else with the playbooks. */
export function landingRoute(user: User): Route {
  if (user.role === 'auditor') return { name: 'audit' };
  return user.role === 'rep' || user.role === 'department_head' ? { name: 'inbox', taskId: null } : { name: 'playbooks' };
}

function sectionOf(route: Route): Section {
  if (route.name === 'playbooks' || route.name === 'playbook' || route.name === 'playbookEdit') return 'playbooks';
  if (route.name === 'inbox') return 'inbox';
  if (route.name === 'audit' || route.name === 'auditAttempt') return 'audit';
  if (route.name === 'analytics') return 'analytics';
  if (route.name === 'customers' || route.name === 'customer') return 'customers';
  if (route.name === 'rules' || route.name === 'imports') return 'rules';
  if (route.name === 'operate' || route.name === 'migration' || route.name === 'operateBatches') return 'operate';
  return null;
}

type Auth = { status: 'checking' } | { status: 'signedOut' } | { status: 'signedIn'; user: User } | { status: 'error'; error: unknown };

export function App() {
  const route = useRoute();
  const [auth, setAuth] = useState<Auth>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    const check = attempt === 0 && firstSessionCheck ? firstSessionCheck : api.me(ctrl.signal);
    check.then(
      (user) => {
        if (!ctrl.signal.aborted) setAuth(user ? { status: 'signedIn', user } : { status: 'signedOut' });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setAuth({ status: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [attempt]);

  // Any 401 later on means the session expired or was revoked: drop to the login form in place,
  // keeping the hash so signing back in returns to the same page.
  useEffect(() => {
    setUnauthorizedHandler(() => setAuth({ status: 'signedOut' }));
    return () => setUnauthorizedHandler(null);
  }, []);

  const onSignedIn = useCallback(
    (user: User) => {
      setAuth({ status: 'signedIn', user });
      if (route.name === 'login' || route.name === 'home') navigate(landingRoute(user), { replace: true });
    },
    [route.name],
  );

  const signOut = useCallback(() => {
    // Show the login form even if the request fails: the user asked to leave.
    api.logout().catch(() => undefined);
    setAuth({ status: 'signedOut' });
    navigate({ name: 'login' });
  }, []);

  useEffect(() => {
    if (auth.status === 'signedIn') preloadDepartments();
  }, [auth.status]);

  const session = useMemo<Session | null>(() => (auth.status === 'signedIn' ? { user: auth.user, signOut } : null), [auth, signOut]);

  if (auth.status === 'checking') return <Loading label="Checking your session…" />;
  if (auth.status === 'error') {
    return (
      <div className="page page--narrow">
        <ErrorBox title="Could not reach the server" error={auth.error} onRetry={() => setAttempt((n) => n + 1)} />
      </div>
    );
  }
  if (!session) return <LoginPage onSignedIn={onSignedIn} />;

  return (
    <SessionContext.Provider value={session}>
      <div className="app">
        <TopBar section={sectionOf(route)} />
        <main className="app__main">
          <Suspense fallback={<Loading label="Loading…" />}>
            <RouteView route={route} user={session.user} />
          </Suspense>
        </main>
      </div>
    </SessionContext.Provider>
  );
}

function RouteView({ route, user }: { route: Route; user: User }) {
  switch (route.name) {
    case 'home':
    case 'login':
      return <Redirect to={landingRoute(user)} />;
    case 'inbox':
      // Not keyed by task: the list, its filters and the live stream stay while tasks open and close.
      return <InboxPage.Page taskId={route.taskId} />;
    case 'playbooks':
      return <PlaybookListPage />;
    case 'playbook':
      // Keyed so switching playbooks starts from a clean state (selection, version).
      return <PlaybookPage.Page key={route.key} playbookKey={route.key} />;
    case 'playbookEdit':
      return <DesignerPage.Page key={route.key} playbookKey={route.key} />;
    case 'audit':
      return <AuditSearchPage.Page />;
    case 'auditAttempt':
      return <AttemptPage.Page key={route.attemptId} attemptId={route.attemptId} />;
    case 'analytics':
      return <AnalyticsPage.Page />;
    case 'rules':
      return <RulesPage.Page />;
    case 'imports':
      return <ImportsPage.Page />;
    case 'operate':
      // Not keyed by query: the filter bar drives the query itself, and keeps its state while it does.
      return <OperatePage.Page query={route.query} />;
    case 'migration':
      return <MigrationPage.Page key={`${route.key}?${route.query}`} playbookKey={route.key} query={route.query} />;
    case 'operateBatches':
      return <BatchesPage.Page batchId={route.batchId} />;
    case 'customers':
      return <CustomersPage.Page />;
    case 'customer':
      // Keyed so another customer's file starts clean (the start form, its problems).
      return <CustomerFilePage.Page key={route.customerId} customerId={route.customerId} />;
    case 'notFound':
      return <NotFoundPage path={route.path} />;
  }
}

function Redirect({ to }: { to: Route }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}
