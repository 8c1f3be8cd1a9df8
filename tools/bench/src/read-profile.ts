import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The main thread's CPU profile among those a process wrote into `dir`. */
export function mainThreadProfile(dir: string): string | undefined {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    // One profile per thread: the main thread's (the module loader's worker writes a small one) is the largest.
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/**
 * The functions that spent the most CPU themselves (self time), as a share of the busy
 * (non-idle) time: the category summary says which layer is busy, this says what in it.
 */
export function topSelfTime(file: string, count = 15): { where: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//u, '').replace(/^file:\/\/.*?\/(apps|libs)\//u, '$1/')}:${lineNumber + 1}`;
    totals.set(where, (totals.get(where) ?? 0) + dt);
    busy += dt;
  });
  return [...totals.entries()]
    .map(([where, t]) => ({ where, share: t / busy }))
    .sort((a, b) => b.share - a.share)
    .slice(0, count);
}
