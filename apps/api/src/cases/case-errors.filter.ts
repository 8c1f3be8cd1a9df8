import { HttpStatus } from '@nestjs/common';
import { CaseError } from '@qadaga/db';
import { apiError } from '../http/api-error.js';

const STATUS: Record<CaseError['code'], number> = {
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  four_eyes: HttpStatus.CONFLICT,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Runs a case operation and answers its refusal as the HTTP error it stands for. */
export async function caseOperation<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CaseError)) throw error;
    const reasons = error.field === undefined ? [] : [{ path: error.field, message: error.message }];
    throw apiError(STATUS[error.code], error.message, reasons);
  }
}
