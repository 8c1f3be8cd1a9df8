/** Whether a server accepted us, and if not, why (shown to the user when we fall back). */
export type Reachability = { answers: true } | { answers: false; reason: string };

/** A service this package either found running or started itself. */
export interface EnsuredService {
  url: string;
  /** What was started, for `RunningServices.started`; undefined when an existing server was used. */
  started?: string;
  stop(): Promise<void>;
}

/** Checks that decide whether to fall back must stay under this, so an unreachable host never stalls a run. */
export const CHECK_TIMEOUT_MS = 2_000;

export type Log = (line: string) => void;
