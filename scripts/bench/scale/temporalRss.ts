import { readdirSync, readFileSync } from 'node:fs';

/**
 * The Temporal dev server's resident memory. scripts/services.ts startTemporal does not hand out the
 * child's pid, so it is found by its command line (`server start-dev … --port <port>`, unique per
 * bench run); the server runs in its own process group (it is spawned detached), and every process
 * of that group is summed, so a helper process it forks would be counted too.
 */
export function temporalServerPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = readProc(`/proc/${entry}/cmdline`)?.split('\0') ?? [];
    const portAt = args.indexOf('--port');
    if (args.includes('start-dev') && portAt >= 0 && args[portAt + 1] === String(port)) return Number(entry);
  }
  throw new Error(`no Temporal dev server listening on port ${port} among this machine's processes`);
}

/** Sum of VmRSS, in bytes, over the processes of `pid`'s process group. */
export function processGroupRss(pid: number): number {
  const group = processGroupOf(pid);
  let bytes = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || processGroupOf(Number(entry)) !== group) continue;
    const kib = /VmRSS:\s+(\d+) kB/.exec(readProc(`/proc/${entry}/status`) ?? '');
    if (kib) bytes += Number(kib[1]) * 1024;
  }
  return bytes;
}

function processGroupOf(pid: number): number | null {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return null;
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[2]);
}

/** A process may end between listing /proc and reading it: then it is not counted. */
function readProc(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
