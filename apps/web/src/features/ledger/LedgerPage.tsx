import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import type { Checkpoint, LedgerVerification } from '../../api/types.js';
import { DataState } from '../../components/DataState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Hash } from '../../components/Hash.js';
import { useFormat } from '../../format/format.js';

export function LedgerPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const verify = useMutation({ mutationFn: () => api<LedgerVerification>('/v1/ledger/verify', { method: 'POST' }) });
  const checkpoint = useQuery({ queryKey: ['checkpoint'], queryFn: () => api<Checkpoint>('/v1/checkpoints/latest') });
  const result = verify.data;
  return (
    <section>
      <h1>{t('ledger.title')}</h1>
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
                {result.ok ? t('ledger.intact', { rows: f.number(result.rowsChecked, 0), chains: result.chains.length }) : t('ledger.broken', { count: result.failures.length })}
              </p>
              {result.failures.length > 0 && (
                <table className="grid compact" aria-label={t('ledger.failures')}>
                  <tbody>
                    {result.failures.map((x, i) => (
                      <tr key={`${x.chainId}-${x.seq}-${i}`}>
                        <td>{x.kind}</td>
                        <td>
                          {x.chainId} #{x.seq}
                        </td>
                        <td>{x.message}</td>
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
