import { Controller, HttpStatus, Inject, Param } from '@nestjs/common';
import { savedViewEndpoints as api, type ParsedBodyOf, type ParsedQueryOf, type SavedView } from '@qadaga/contracts/api';
import { SavedViewRepository } from '@qadaga/db';
import { CurrentPrincipal } from '../auth/current-principal.js';
import type { Principal } from '../auth/principal.js';
import { apiError } from '../http/api-error.js';
import { Endpoint, Input } from '../http/endpoint.decorator.js';
import { UuidPipe } from '../http/uuid.pipe.js';

const VIEW_ID = new UuidPipe('view');

function ownerOf(principal: Principal): string {
  if (principal.userId === undefined) throw apiError(HttpStatus.FORBIDDEN, 'saved views belong to signed-in people, not API keys', []);
  return principal.userId;
}

/** A person's own named filters: nobody else's are listed, found or deleted. */
@Controller()
export class SavedViewsController {
  constructor(@Inject(SavedViewRepository) private readonly views: SavedViewRepository) {}

  @Endpoint(api.list)
  async list(@Input('query') q: ParsedQueryOf<typeof api.list>, @CurrentPrincipal() principal: Principal): Promise<{ items: SavedView[] }> {
    return { items: await this.views.list(ownerOf(principal), q.page) };
  }

  @Endpoint(api.save)
  async save(@Input('body') b: ParsedBodyOf<typeof api.save>, @CurrentPrincipal() principal: Principal): Promise<SavedView> {
    return this.views.save(ownerOf(principal), b.page, b.name, b.filters);
  }

  @Endpoint(api.remove)
  async remove(@Param('id', VIEW_ID) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (!(await this.views.remove(ownerOf(principal), id))) throw apiError(HttpStatus.NOT_FOUND, `no view ${id}`, [{ path: 'id', message: 'unknown view' }]);
  }
}
