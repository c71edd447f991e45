import { pgCtl } from '../../scripts/pgctl';

/** Stop and start the suite's PostgreSQL (the durability test restarts it under a running product). */
function dataDir(): string {
  const dir = process.env.TEST_PG_DIR;
  if (!dir) throw new Error('TEST_PG_DIR is not set: run through jest');
  return dir;
}

export const stopPostgres = () => pgCtl(dataDir(), ['stop', '-m', 'fast', '-w']);
export const startPostgresAgain = () => pgCtl(dataDir(), ['start', '-w', '-l', '/dev/null', '-o', `-p ${process.env.TEST_PG_PORT}`]);
