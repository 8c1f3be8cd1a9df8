/** Why a case operation was refused; the API turns each code into its HTTP status. */
export type CaseErrorCode = 'not_found' | 'conflict' | 'four_eyes' | 'invalid';

export class CaseError extends Error {
  constructor(
    readonly code: CaseErrorCode,
    message: string,
    /** The request field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CaseError';
  }
}
