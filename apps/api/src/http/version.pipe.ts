import { HttpStatus, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { apiError } from './api-error.js';

/** The largest value of a PostgreSQL integer column: a version number beyond it can name nothing. */
const INT4_MAX = 2_147_483_647;

/** A rule version in a path: a whole number from 1 to the column's largest, or 400 naming the parameter. */
@Injectable()
export class VersionPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const version = /^[1-9][0-9]{0,9}$/u.test(value) ? Number(value) : Number.NaN;
    if (!(version <= INT4_MAX)) {
      throw apiError(HttpStatus.BAD_REQUEST, 'invalid version', [{ path: metadata.data ?? 'version', message: `must be a whole number from 1 to ${INT4_MAX}` }]);
    }
    return version;
  }
}
