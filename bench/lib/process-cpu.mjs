// CPU time of processes from Linux /proc (user + system, every thread included), so the proxy
// bench can say how many µs of CPU each process spent per event. NaN where /proc is missing.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times: USER_HZ, 100 on every Linux we run on. */
const TICKS_PER_SECOND = 100;

const stat = (pid) => {
  try {
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15) cutime(16) cstime(17);
    // the last two hold children already reaped (a cluster worker or a PostgreSQL backend that ended).
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { comm: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')), ppid: fields[1], seconds: (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND };
  } catch {
    return undefined; // gone meanwhile
  }
};

const pids = () => {
  try {
    return readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
};

/** CPU seconds of `pid` and its children (cluster workers), living or reaped. */
export function treeCpuSeconds(pid) {
  const own = stat(pid);
  if (!own) return NaN;
  return own.seconds + pids().reduce((n, p) => (stat(p)?.ppid === String(pid) ? n + stat(p).seconds : n), 0);
}

/** CPU seconds of every process whose command is `comm` (e.g. all `postgres` processes, ended backends included). */
export function commandCpuSeconds(comm) {
  const all = pids().map(stat).filter((s) => s?.comm === comm);
  return all.length ? all.reduce((n, s) => n + s.seconds, 0) : NaN;
}
