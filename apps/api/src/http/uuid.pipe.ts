import { HttpStatus, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { canonicalUuid } from '@qadaga/contracts';
import { apiError } from './api-error.js';

/**
 * A path parameter that must be a UUID, handed on in its canonical lower-case form: the
 * same case, flag or bundle is then one string in every check, query and log line.
 * Anything else is a 400 naming the parameter.
 */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly what: string) {}

  transform(value: string, metadata: ArgumentMetadata): string {
    const id = canonicalUuid(value);
    const name = metadata.data ?? 'id';
    if (id === null) throw apiError(HttpStatus.BAD_REQUEST, `invalid ${this.what} id`, [{ path: name, message: 'must be a UUID' }]);
    return id;
  }
}
