import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ACTOR_KIND_KEYS, districtText, eventTypeText, violationStatusText } from '../../i18n/vocabulary.js';
import { useParams } from 'react-router';
import { violationEndpoints } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { Hash } from '../../components/Hash.js';
import { Plate } from '../../components/Plate.js';
import { SubjectLinks } from '../../components/SubjectLinks.js';
import { useFormat } from '../../format/format.js';

/** One violation's whole life, in occurred-at order, each step with its ledger hashes. */
export function ViolationPage() {
  const { ref = '' } = useParams();
  const { t } = useTranslation();
  const f = useFormat();
  const found = useQuery({ queryKey: ['violation', ref], queryFn: () => call(violationEndpoints.get, { params: { ref } }) });
  return (
    <DataState query={found}>
      {({ violation: v, timeline }) => (
        <article>
          <h1>
            {t('violation.title')} {v.ref}
          </h1>
          <dl className="meta">
            <dt>{t('flag.status')}</dt>
            <dd>{violationStatusText(v.status, t)}</dd>
            <dt>{t('violation.plate')}</dt>
            <dd>{v.plate === null ? '—' : <Plate value={v.detectedPlate ?? v.plate} />}</dd>
            <dt>{t('subjectKind.camera')}</dt>
            <dd>{v.cameraId === null ? '—' : <SubjectLinks kind="camera" id={v.cameraId} />}</dd>
            <dt>{t('queue.filter.district')}</dt>
            <dd>{v.district === null ? '—' : districtText(v.district, t)}</dd>
            <dt>{t('violation.detectedAt')}</dt>
            <dd>{f.dateTime(v.detectedAt)}</dd>
            <dt>{t('violation.owed')}</dt>
            <dd>
              {f.number(v.amountOwed, 0)} / {v.fineAmount === null ? '—' : f.number(v.fineAmount, 0)}
            </dd>
          </dl>
          <table className="grid compact" aria-label={t('violation.timeline')}>
            <thead>
              <tr>
                <th scope="col">{t('violation.occurredAt')}</th>
                <th scope="col">{t('violation.event')}</th>
                <th scope="col">{t('violation.actor')}</th>
                <th scope="col">{t('flag.contentHash')}</th>
                <th scope="col">{t('flag.chainHash')}</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map((e) => (
                <tr key={e.event.eventId}>
                  <td>{f.dateTime(e.event.occurredAt)}</td>
                  <td>{eventTypeText(e.event.type, t)}</td>
                  <td>{e.event.actor.kind === 'officer' ? <SubjectLinks kind="officer" id={e.event.actor.id} /> : `${t(ACTOR_KIND_KEYS[e.event.actor.kind])}: ${e.event.actor.id}`}</td>
                  <td>
                    <Hash value={e.ledger.contentHash} label={t('flag.contentHash')} />
                  </td>
                  <td>
                    <Hash value={e.ledger.chainHash} label={t('flag.chainHash')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      )}
    </DataState>
  );
}
