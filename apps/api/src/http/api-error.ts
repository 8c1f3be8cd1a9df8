import { HttpException } from '@nestjs/common';
import type { FieldError } from '@qadaga/contracts';

/** An HTTP error whose body names each field and reason, the shape every 4xx of this API has. */
export function apiError(status: number, message: string, reasons: FieldError[]): HttpException {
  return new HttpException({ statusCode: status, message, reasons }, status);
}
