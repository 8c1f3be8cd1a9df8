import { issueNoticeNormally } from '../lifecycle/natural.js';
import { violationSubject, type PlantedScheme, type Planner } from '../plan/planner.js';
import { MINUTE } from '../time.js';
import { duringShiftOf } from './common.js';
import { laterInShift } from '../city/roster.js';

/**
 * The Faridabad clerk: after confirming, the reviewer edits the plate to one that no
 * vehicle carries, so the notice is issued to nobody and never delivered. One or two
 * reviewers do it to their own queue. (Genuine corrections go the other way: from a
 * misread plate to the registered one shown on the photo, and the notice arrives.)
 */
export function plantPlateEdits(p: Planner): PlantedScheme {
  const editors = Array.from({ length: p.model.violations >= 40_000 ? 2 : 1 }, () => p.castReviewer());
  const { from, to } = p.lifecycleWindow;
  const refs: string[] = [];
  const n = p.violationSubjects();
  for (let k = 0; k < n; k += 1) {
    const editor = editors[k % editors.length] as (typeof editors)[number];
    const d = p.claim(from, to, duringShiftOf(editor));
    if (d === undefined) continue;
    refs.push(p.ref(d.index));
    p.direct(d.index, {
      tag: 'plate_edited_after_review',
      camera: p.cameraIn(p.unit(editor.unit), d),
      assign: { officer: editor },
      review: { kind: 'confirm', fast: true },
      after: (s) => {
        const at = s.act(editor, laterInShift(editor, s.confirmedAt as number, s.rng.between(3 * MINUTE, 40 * MINUTE)));
        s.editPlate(editor, at, s.model.register.unregisteredPlate(s.rng), 'plate corrected from the photo');
        issueNoticeNormally(s, { ownerless: true });
      },
    });
  }
  return {
    scheme: 'plate_edited_after_review',
    subjects: refs.map(violationSubject),
    note:
      `Editors: ${editors.map((o) => o.id).join(', ')}. After confirming a detection of a registered car, the editor amends field "plate" ` +
      '3-40 minutes later to a well-formed plate that is not in the register; the notice is issued without ownerRef (channel post) and never delivered, ' +
      'and nothing follows. Rule: plate amended after confirmation to a plate key not in the register (or not matching the detected vehicle), ' +
      'notice undelivered; per officer, share of such edits/undeliverable notices.',
  };
}
