import { lazyPage } from './lazyPage';
import type { Route } from './router';

// Each area is its own chunk, fetched when first opened: a rep never downloads the designer (React
// Flow, the compiler) and the login page paints before any of them.
export const InboxPage = lazyPage(
  () => import('./inbox/InboxPage'),
  (m) => m.InboxPage,
);
export const PlaybookPage = lazyPage(
  () => import('./pages/PlaybookPage'),
  (m) => m.PlaybookPage,
);
export const DesignerPage = lazyPage(
  () => import('./designer/DesignerPage'),
  (m) => m.DesignerPage,
);
export const AuditSearchPage = lazyPage(
  () => import('./audit/AuditSearchPage'),
  (m) => m.AuditSearchPage,
);
export const AttemptPage = lazyPage(
  () => import('./audit/AttemptPage'),
  (m) => m.AttemptPage,
);
export const RulesPage = lazyPage(
  () => import('./risk/RulesPage'),
  (m) => m.RulesPage,
);
export const ImportsPage = lazyPage(
  () => import('./imports/ImportsPage'),
  (m) => m.ImportsPage,
);
export const OperatePage = lazyPage(
  () => import('./operate/OperatePage'),
  (m) => m.OperatePage,
);
export const MigrationPage = lazyPage(
  () => import('./operate/MigrationPage'),
  (m) => m.MigrationPage,
);
export const BatchesPage = lazyPage(
  () => import('./operate/BatchesPage'),
  (m) => m.BatchesPage,
);
export const CustomersPage = lazyPage(
  () => import('./customers/CustomersPage'),
  (m) => m.CustomersPage,
);
export const CustomerFilePage = lazyPage(
  () => import('./customers/CustomerFilePage'),
  (m) => m.CustomerFilePage,
);
export const AnalyticsPage = lazyPage(
  () => import('./analytics/AnalyticsPage'),
  (m) => m.AnalyticsPage,
);

/** The chunk each route's page is in (routes without one render from the main bundle). */
export const chunkOfRoute: Partial<Record<Route['name'], () => Promise<unknown>>> = {
  inbox: InboxPage.preload,
  playbook: PlaybookPage.preload,
  playbookEdit: DesignerPage.preload,
  audit: AuditSearchPage.preload,
  auditAttempt: AttemptPage.preload,
  rules: RulesPage.preload,
  imports: ImportsPage.preload,
  operate: OperatePage.preload,
  migration: MigrationPage.preload,
  operateBatches: BatchesPage.preload,
  customers: CustomersPage.preload,
  customer: CustomerFilePage.preload,
  analytics: AnalyticsPage.preload,
};
