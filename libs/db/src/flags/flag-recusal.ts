/**
 * The queue's recusal filter as SQL: whether a flag (a row of `flag` aliased `flag`) is
 * about one of the subjects in `subjects` (a text[] parameter of officer ids and unit
 * names): an officer subject, the officer half of an officer-vehicle pair, or the unit it
 * was judged in. Every count of flags shown beside the queue filters with it too, so a
 * recused reader is never told of a flag the queue hides from them.
 */
export const flagRecusedFrom = (flag: string, subjects: string) =>
  `(split_part(${flag}.subject_id, '|', 1) = ANY(${subjects}) OR coalesce(${flag}.unit, '') = ANY(${subjects}))`;
