import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where the API's CPU time went, by the part of the stack that spent it. */
const CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['idle (waiting on PostgreSQL or the network)', (_u, fn) => fn === '(idle)'],
  ['garbage collection', (_u, fn) => fn === '(garbage collector)'],
  ['canonical JSON (RFC 8785)', (u) => u.includes('canonicalize')],
  ['SHA-256 hashing', (u, fn) => u.includes('internal/crypto') || fn === 'digest' || fn === 'update'],
  ['validation (zod)', (u) => u.includes('/zod/') || u.includes('contracts/src')],
  ['state fold and projection', (u) => u.includes('domain/src/lifecycle') || u.includes('violation-projection')],
  ['PostgreSQL driver (pg)', (u) => u.includes('/pg/') || u.includes('pg-protocol') || u.includes('/pg-types/')],
  ['HTTP (fastify, nest)', (u) => u.includes('fastify') || u.includes('@nestjs') || u.includes('find-my-way') || u.includes('light-my-request')],
  ['ledger writer', (u) => u.includes('ledger-writer') || u.includes('ingest')],
  ['socket writes (responses, queries)', (u, fn) => u === '' && (fn === 'writev' || fn === 'writeBuffer' || fn.startsWith('writeUtf8') || fn.startsWith('writeLatin1'))],
  ['JSON parse of request bodies', (u) => u.includes('secure-json-parse')],
  ['Prisma client', (u) => u.includes('@prisma/client')],
  ['module loading (startup)', (u) => u.includes('internal/modules')],
  ['node internals (streams, sockets)', (u) => u.startsWith('node:')],
  ['program and other', () => true],
];

export function summariseProfile(path: string): { category: string; share: number }[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (node === undefined) return;
    const { url, functionName } = node.callFrame;
    const category = CATEGORIES.find(([, test]) => test(url, functionName))?.[0] ?? 'program and other';
    totals.set(category, (totals.get(category) ?? 0) + dt);
    all += dt;
  });
  return [...totals.entries()]
    .map(([category, t]) => ({ category, share: t / all }))
    .sort((a, b) => b.share - a.share);
}
