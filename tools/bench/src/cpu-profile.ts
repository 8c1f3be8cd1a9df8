import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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

/**
 * The main thread's CPU profile among those a process wrote into `dir`. Node names each
 * CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile and the main thread is thread 0;
 * the module loader's thread and the ingest threads write their own.
 */
export function mainThreadProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => f.split('.')[4] === '0') ?? files.sort((a, b) => statSync(path.join(dir, b)).size - statSync(path.join(dir, a)).size)[0];
  return main === undefined ? undefined : path.join(dir, main);
}

/** Sums each sample's time under the key `keyOf` gives its frame (undefined leaves it out), as shares of the kept time. */
function sharesBy(file: string, keyOf: (frame: ProfileNode['callFrame']) => string | undefined): { key: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let kept = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const key = node === undefined ? undefined : keyOf(node.callFrame);
    if (key === undefined) return;
    const dt = profile.timeDeltas[i] ?? 0;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    kept += dt;
  });
  return [...totals.entries()].map(([key, t]) => ({ key, share: t / kept })).sort((a, b) => b.share - a.share);
}

/** Where an ingest thread's time went: the per-event work of a batch, step by step. */
const INGEST_THREAD_CATEGORIES: [string, (url: string, fn: string) => boolean][] = [
  ['waiting for a batch', (_u, fn) => fn === 'atomicsWaitLoop' || fn === '(idle)'],
  ['garbage collection', (_u, fn) => fn === '(garbage collector)'],
  // JSON.parse is native and inlined: its time is the self time of the function calling it.
  ['decoding and JSON parse of the body', (u, fn) => fn === 'prepareJsonArray' || (u === 'node:buffer' && fn === 'slice')],
  ['validation (contract)', (u) => u.includes('/zod/') || u.includes('contracts/src') || u.includes('domain/src/primitives')],
  ['SHA-256 hashing', (u, fn) => u.includes('internal/crypto') || fn === 'hash'],
  ['canonical JSON (RFC 8785)', (u) => u.includes('domain/src/hashing') || u.includes('canonicalize')],
  ['ledger rows (COPY text, encoding)', (u, fn) =>
    u.includes('copy-row') || fn === 'encodeRows' || fn === 'utf8Write' || fn.startsWith('RegExp:') || (u === 'node:buffer' && (fn === 'write' || fn === 'byteLength'))],
  ['state fold and projection', (u) => u.includes('domain/src/lifecycle') || u.includes('violation-projection')],
  ['handing batches between threads', (u, fn) => u.includes('piscina') || fn === 'postMessage' || fn === 'receiveMessageOnPort'],
  ['module loading (startup)', (u, fn) =>
    ['internal/modules', 'esm/', '/tsx/', 'esbuild', 'internal/bootstrap', 'cjs-module-lexer', 'node:fs'].some((part) => u.includes(part)) || fn === 'readFileUtf8'],
  ['per-event bookkeeping (checks, columns)', (u, fn) => u.includes('ingest-check') || fn === 'set'],
  ['program and other', () => true],
];

/** The profile of the ingest thread among those a process wrote into `dir`: the one that ran the per-event work. */
export function ingestThreadProfile(dir: string): string | undefined {
  const main = mainThreadProfile(dir);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .find((f) => f !== main && readFileSync(f, 'utf8').includes('ingest-check'));
}

export function summariseIngestThreadProfile(file: string): { category: string; share: number }[] {
  return summarise(file, INGEST_THREAD_CATEGORIES);
}

export function summariseProfile(file: string): { category: string; share: number }[] {
  return summarise(file, CATEGORIES);
}

/** Each sample's time under the first category whose test its frame passes, as shares. */
function summarise(file: string, categories: readonly [string, (url: string, fn: string) => boolean][]): { category: string; share: number }[] {
  return sharesBy(file, ({ url, functionName }) => categories.find(([, test]) => test(url, functionName))?.[0] ?? 'program and other').map(
    ({ key, share }) => ({ category: key, share }),
  );
}

/**
 * The functions that spent the most CPU themselves (self time), as a share of the busy
 * (non-idle) time: the category summary says which layer is busy, this says what in it.
 */
export function topSelfTime(file: string, count = 15): { where: string; share: number }[] {
  return sharesBy(file, ({ functionName, url, lineNumber }) =>
    functionName === '(idle)' || functionName === '(program)'
      ? undefined
      : `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//u, '').replace(/^file:\/\/.*?\/(apps|libs)\//u, '$1/')}:${lineNumber + 1}`,
  )
    .slice(0, count)
    .map(({ key, share }) => ({ where: key, share }));
}
