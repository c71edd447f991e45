export function MigrationPage(_: { playbookKey: string; query: string }) {
  return null;
}
