import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used, from /proc. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by each PostgreSQL server process (backends, WAL writer, checkpointer, autovacuum). */
function postgresProcessCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'postgres' || comm.startsWith('postgres')) out.set(Number(entry), processCpuSeconds(Number(entry)));
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}

/**
 * Starts counting PostgreSQL's CPU; the function it returns answers the seconds used since,
 * by the processes alive then (a process started meanwhile counts from zero). A total of all
 * processes taken twice went negative when an autovacuum or parallel worker exited between
 * the two readings; a process that exits in between is now left out, so this may undercount.
 */
export function postgresCpuMeter(): () => number {
  const start = postgresProcessCpu();
  return () => {
    let used = 0;
    for (const [pid, seconds] of postgresProcessCpu()) used += seconds - (start.get(pid) ?? 0);
    return used;
  };
}
