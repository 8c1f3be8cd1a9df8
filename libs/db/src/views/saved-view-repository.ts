import type pg from 'pg';
import type { SavedView } from '@qadaga/contracts/api';

interface SavedViewRow {
  id: string;
  page: SavedView['page'];
  name: string;
  filters: Record<string, string>;
  created_at: Date;
}

const toView = (r: SavedViewRow): SavedView => ({ id: r.id, page: r.page, name: r.name, filters: r.filters, createdAt: r.created_at.toISOString() });

/**
 * A person's named filters for a page. Every read and write is scoped to the owner: a
 * view of someone else is as unknown as one that never existed.
 */
export class SavedViewRepository {
  constructor(private readonly pool: pg.Pool) {}

  async list(userId: string, page: SavedView['page']): Promise<SavedView[]> {
    const { rows } = await this.pool.query<SavedViewRow>('SELECT id, page, name, filters, created_at FROM saved_view WHERE user_id = $1 AND page = $2 ORDER BY lower(name), name', [userId, page]);
    return rows.map(toView);
  }

  /** Saves the filters under the name; the same name again replaces that view's filters (the unique index decides, so two saves at once cannot make two). */
  async save(userId: string, page: SavedView['page'], name: string, filters: Record<string, string>): Promise<SavedView> {
    const { rows } = await this.pool.query<SavedViewRow>(
      `INSERT INTO saved_view (id, user_id, page, name, filters) VALUES (gen_random_uuid(), $1, $2, $3, $4)
       ON CONFLICT (user_id, page, name) DO UPDATE SET filters = EXCLUDED.filters
       RETURNING id, page, name, filters, created_at`,
      [userId, page, name, JSON.stringify(filters)],
    );
    return toView(rows[0] as SavedViewRow);
  }

  /** Deletes the owner's view; false when the owner has no view with this id. */
  async remove(userId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM saved_view WHERE id = $1 AND user_id = $2', [id, userId]);
    return (rowCount ?? 0) > 0;
  }
}
