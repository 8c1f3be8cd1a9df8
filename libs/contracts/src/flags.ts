/**
 * One step in a flag's history as the API answers it: raised, triaged, dismissed with a
 * reason, put in a case. The server writes it and the workbench reads it, so the shape is
 * declared once, here.
 */
export interface FlagHistoryEntry {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}
