import { z } from 'zod';
import { uuid } from '../ids.js';
import { answerId, isoInstant } from './common.js';
import { endpoint, type EndpointContract } from './endpoint.js';
import { QueueFilters } from './flags.js';

/** The pages a view can be saved for; the queue only, for now. */
export const SAVED_VIEW_PAGES = ['flags'] as const;

/**
 * A saved view's filters: the queue's URL query parameters as the URL writes them
 * (strings), held to the queue's own filter schema so a view can never carry a filter
 * the queue would refuse. An issue names its field as `filters.<name>`.
 */
export const SavedViewFilters = z
  .record(z.string().max(40), z.string().max(400))
  .superRefine((filters, ctx) => {
    const parsed = QueueFilters.safeParse(filters);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      // The filter's name, not the place inside it (severity, not severity.0): the form names the field.
      const field = issue.code === 'unrecognized_keys' ? (issue.keys[0] ?? '') : String(issue.path[0] ?? '');
      ctx.addIssue({ code: 'custom', message: issue.code === 'unrecognized_keys' ? 'not a filter of the queue' : issue.message, path: [field] });
    }
  });

export const SavedView = z
  .object({
    id: answerId,
    page: z.enum(SAVED_VIEW_PAGES),
    name: z.string(),
    filters: z.record(z.string(), z.string()),
    createdAt: isoInstant,
  })
  .meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof SavedView>;

export const savedViewEndpoints = {
  list: endpoint({
    method: 'GET',
    path: '/v1/me/views',
    tag: 'me',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: "The caller's own saved views of a page (the queue), by name",
    query: z.strictObject({ page: z.enum(SAVED_VIEW_PAGES).default('flags') }),
    response: z.object({ items: z.array(SavedView) }).meta({ id: 'SavedViewList' }),
  }),
  save: endpoint({
    method: 'POST',
    path: '/v1/me/views',
    tag: 'me',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: "Save the queue's current filters under a name (1 to 80 characters, unique among the caller's views of the page); the same name again replaces that view's filters",
    body: z.strictObject({
      page: z.enum(SAVED_VIEW_PAGES).default('flags'),
      name: z.string().trim().min(1, 'give the view a name').max(80, 'at most 80 characters'),
      filters: SavedViewFilters,
    }),
    response: SavedView,
    status: 201,
  }),
  remove: endpoint({
    method: 'DELETE',
    path: '/v1/me/views/{id}',
    tag: 'me',
    access: ['prosecutor', 'auditor', 'admin'],
    summary: "Delete one of the caller's own saved views; another person's view is not found",
    params: z.object({ id: uuid.meta({ description: "the view's id" }) }),
    response: 'empty',
    status: 204,
  }),
} satisfies Record<string, EndpointContract>;
