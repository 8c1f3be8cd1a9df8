import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { evidenceEndpoints, integrityEndpoints, type IntegrityAlarm } from '@qadaga/contracts/api';
import { call } from '../../api/call.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Hash } from '../../components/Hash.js';
import { useFormat } from '../../format/format.js';
import { VERIFY_FAILURE_KEYS } from './labels.js';

export function LedgerPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const verify = useMutation({ mutationFn: () => call(integrityEndpoints.verifyLedger) });
  const checkpoint = useQuery({ queryKey: ['checkpoint'], queryFn: () => call(evidenceEndpoints.latestCheckpoint) });
  const alarms = useQuery({ queryKey: ['integrity-alarms'], queryFn: () => call(integrityEndpoints.alarms, { query: { limit: 20 } }) });
  const result = verify.data;
  return (
    <section>
      <h1>{t('ledger.title')}</h1>
      <IntegrityAlarms alarms={alarms.data?.items} />
      <ErrorMessage error={alarms.error} />
      <div className="two-columns">
        <section aria-labelledby="verify-ledger">
          <h2 id="verify-ledger">{t('ledger.verify')}</h2>
          <p className="muted">{t('ledger.verifyHelp')}</p>
          <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
            {t('ledger.verifyNow')}
          </button>
          {verify.isPending && <p role="status">{t('ledger.verifying')}</p>}
          <ErrorMessage error={verify.error} />
          {result !== undefined && (
            <div role="status" aria-label={t('ledger.result')}>
              <p className={result.ok ? 'ok' : 'bad'}>
                {result.ok
                  ? t('ledger.intact', { rows: f.number(result.rowsChecked, 0), chains: result.chains.length, count: result.checkpoints?.checked ?? 0 })
                  : t('ledger.broken', { count: result.failures.length })}
              </p>
              {result.failures.length > 0 && (
                <table className="grid compact" aria-label={t('ledger.failures')}>
                  <tbody>
                    {result.failures.map((x, i) => (
                      <tr key={`${x.chainId}-${x.seq}-${i}`}>
                        <td>{VERIFY_FAILURE_KEYS[x.kind] === undefined ? x.kind : t(VERIFY_FAILURE_KEYS[x.kind] as string)}</td>
                        <td>{x.chainId === null ? '—' : `${x.chainId} #${x.seq ?? '—'}`}</td>
                        <td>
                          {x.message}
                          {x.signedHash !== undefined && x.signedHash !== null && (
                            <>
                              <br />
                              {t('ledger.signedHash')} <Hash value={x.signedHash} label={t('ledger.signedHash')} /> · {t('ledger.foundHash')}{' '}
                              {x.foundHash === null || x.foundHash === undefined ? '—' : <Hash value={x.foundHash} label={t('ledger.foundHash')} />}
                            </>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </section>
        <section aria-labelledby="checkpoint-heading">
          <h2 id="checkpoint-heading">{t('ledger.checkpoint')}</h2>
          <DataState query={checkpoint}>
            {(c) => (
              <dl className="meta">
                <dt>{t('ledger.signedAt')}</dt>
                <dd>{f.dateTime(c.at)}</dd>
                <dt>{t('ledger.key')}</dt>
                <dd>
                  <code>{c.keyId}</code>
                </dd>
                <dt>{t('ledger.signature')}</dt>
                <dd>
                  <Hash value={c.signature} label={t('ledger.signature')} />
                </dd>
                <dt>{t('ledger.accessLogHead')}</dt>
                <dd>
                  {(c.accessLogHead?.lanes ?? []).length === 0 && <span className="muted">{t('ledger.noAccessLog')}</span>}
                  <ul>
                    {(c.accessLogHead?.lanes ?? []).map((l) => (
                      <li key={l.lane}>
                        {t('ledger.lane', { lane: l.lane })} #{l.seq} <Hash value={l.hash} label={t('ledger.accessLogHead')} />
                      </li>
                    ))}
                  </ul>
                </dd>
                <dt>{t('ledger.heads', { count: c.ledgerHeads.length })}</dt>
                <dd>
                  <ul>
                    {c.ledgerHeads.map((h) => (
                      <li key={h.chainId}>
                        {h.chainId} #{h.seq} <Hash value={h.hash} label={h.chainId} />
                      </li>
                    ))}
                  </ul>
                </dd>
              </dl>
            )}
          </DataState>
        </section>
      </div>
    </section>
  );
}

/** Said first and plainly: an alarm means the product refused to sign the ledger as it now is. */
function IntegrityAlarms({ alarms }: { alarms: IntegrityAlarm[] | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (alarms === undefined) return null;
  if (alarms.length === 0) return <p className="ok">{t('ledger.noAlarms')}</p>;
  const latest = alarms[0] as IntegrityAlarm;
  return (
    <div className="error" role="alert" aria-label={t('ledger.alarms')}>
      <p>
        <strong>{t('ledger.alarmCount', { count: alarms.length })}</strong>
      </p>
      <p>
        {t('ledger.latestAlarm', { at: f.dateTime(latest.raisedAt) })} {latest.message}
      </p>
    </div>
  );
}
