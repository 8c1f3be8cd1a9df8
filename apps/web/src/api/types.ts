
/** The shapes the workbench reads, as the API answers them. */

export { FLAG_STATUSES, type Flag, type FlagDetail, type FlagEvidence as Evidence, type FlagPage, type FlagStatus } from '@qadaga/contracts/api';
export { SEVERITIES, type Severity } from '@qadaga/domain';
import type { FlagHistoryEntry } from '@qadaga/contracts/api';
export type { FlagHistoryEntry };
