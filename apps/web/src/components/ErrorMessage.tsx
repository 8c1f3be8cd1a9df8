import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';

/** An error in words: the server's message and, for each field it names, the reason. */
export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  const message = error instanceof Error ? error.message : String(error);
  const reasons = error instanceof ApiError ? error.reasons : [];
  return (
    <div role="alert" className="error">
      <strong>{t('common.error')}</strong> {message}
      {reasons.length > 0 && (
        <ul aria-label={t('common.reasons')}>
          {reasons.map((r) => (
            <li key={`${r.path}:${r.message}`}>
              {r.path !== '' && <code>{r.path}</code>} {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
