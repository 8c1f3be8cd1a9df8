import { joinEventByKey } from '../ledger/event-by-key.js';

/**
 * Where a flag is, for the Places page and the queue's district and camera filters. One
 * statement of the rule, so the count a prosecutor clicks and the rows the queue then lists
 * cannot drift apart:
 *
 * A flag is in every district and at every camera where at least one violation of its
 * evidence happened (evidence item -> ledger_event by its key (source, event_id) ->
 * violation by its ref), and where the flag itself says it is: the district the rule
 * stored, the camera a camera flag is about, or the camera a violation flag's facts name.
 * A flag about an officer whose evidence lies in two districts is in both, once each.
 *
 * Read when asked, never stored: a violation's district may arrive after the flag that
 * rests on it (events come late and out of order), and a stored copy would go stale.
 *
 * A district is matched by the name the violation's source wrote, in any spelling the
 * loaded boundary knows (its aliases), or exactly as written when no boundary has that id.
 */

/** The spellings a district given as `param` (a boundary id, or a source's own name) matches, lower-cased. */
export const spellingsOf = (param: string) => `coalesce((SELECT b.aliases FROM district_boundary b WHERE b.id = lower(${param})), ARRAY[lower(${param})])`;

/**
 * Whether the district name in `column` is the district given as `param`; `spellings` is
 * spellingsOf(param), or a column holding it already computed.
 */
export const districtIs = (column: string, param: string, spellings = spellingsOf(param)) => `(${column} = ${param} OR lower(${column}) = ANY(${spellings}))`;

/** The camera a flag names itself: the camera it is about, or the one a violation flag's facts name. */
export const ownCameraOf = (flag: string) => `(CASE WHEN ${flag}.subject_kind = 'camera' THEN ${flag}.subject_id ELSE ${flag}.facts->>'cameraId' END)`;

/**
 * The violations of a flag's evidence with their district and camera, one row per evidence
 * item that names a violation; each join is an index lookup.
 */
export const evidencePlacesOf = (flag: string) => `SELECT v.district, v.camera_id
  FROM unnest(ARRAY(SELECT jsonb_array_elements(CASE WHEN jsonb_typeof(${flag}.evidence) = 'array' THEN ${flag}.evidence ELSE '[]'::jsonb END))) AS item
  ${joinEventByKey("item->>'source'", "item->>'eventId'")}
  JOIN violation v ON v.ref = e.violation_ref`;

/** Whether the flag (a row of `flag` aliased `flag`) is in the district given as `param`. */
export const flagInDistrict = (flag: string, param: string) =>
  `(${districtIs(`${flag}.district`, param)} OR EXISTS (SELECT 1 FROM (${evidencePlacesOf(flag)}) AS placed WHERE ${districtIs('placed.district', param)}))`;

/** Whether the flag is at the camera given as `param`. */
export const flagAtCamera = (flag: string, param: string) =>
  `(${ownCameraOf(flag)} = ${param} OR EXISTS (SELECT 1 FROM (${evidencePlacesOf(flag)}) AS placed WHERE placed.camera_id = ${param}))`;

/**
 * Every place of each flag `open` holds (a relation with the flag's columns), as rows
 * (id, district, camera_id), each place once per flag: the flag's own district and camera,
 * then its evidence's.
 */
export const placesOfFlags = (open: string) => `SELECT o.id, o.district, ${ownCameraOf('o')} AS camera_id FROM ${open} o
  UNION
  SELECT o.id, placed.district, placed.camera_id FROM ${open} o CROSS JOIN LATERAL (${evidencePlacesOf('o')}) AS placed`;
