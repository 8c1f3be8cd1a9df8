import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { FieldErrorAnswer } from '@qadaga/contracts/api';
import { ApiError } from '../api/client.js';
import { RULE_REASON_KEYS } from './rule-reason-keys.js';

/** What the page calls each field the server may name: `{ title: t('case.titleField') }`. */
export type FieldLabels = Readonly<Record<string, string>>;

/**
 * An error in the reader's language: a headline for what kind of failure it was and, for
 * each field the server refused, the field as the form names it and the reason, put in
 * words from the code and bound the server sends (its English message is the fallback
 * for a rule of the endpoint's own).
 */
export function ErrorMessage({ error, fields = {} }: { error: unknown; fields?: FieldLabels }) {
  const { t } = useTranslation();
  if (error === null || error === undefined) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="error">
        <strong>{t('common.error')}</strong> {error instanceof Error ? error.message : String(error)}
      </div>
    );
  }
  const validation = error.status === 400 || error.status === 422;
  return (
    <div role="alert" className="error">
      <strong>{headline(error.status, t)}</strong> {validation ? null : error.message}
      {error.reasons.length > 0 && (validation || error.reasons.some((r) => r.path !== '(request)')) && (
        <ul aria-label={t('common.reasons')}>
          {error.reasons.map((r) => (
            <li key={`${r.path}:${r.message}`}>
              {labelOf(r.path, fields) !== null && <strong>{labelOf(r.path, fields)}: </strong>}
              {reasonText(r, t)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function headline(status: number, t: TFunction): string {
  if (status === 400 || status === 422) return t('errors.invalidInput');
  if (status === 401) return t('errors.unauthorised');
  if (status === 403) return t('errors.forbidden');
  if (status === 404) return t('errors.notFound');
  if (status === 409) return t('errors.conflict');
  if (status === 429) return t('errors.tooMany');
  if (status >= 500) return t('errors.server');
  return t('common.error');
}

/** The form's own name of the field (`flagIds.2` is the form's `flagIds`), or the path as the server wrote it. */
function labelOf(path: string, fields: FieldLabels): string | null {
  if (path === '(body)' || path === '(query)' || path === '(request)') return null;
  return fields[path] ?? fields[path.split('.')[0] ?? path] ?? path;
}

type Reason = Pick<FieldErrorAnswer, 'message' | 'code' | 'params'>;

export function reasonText(reason: Reason, t: TFunction): string {
  const p = reason.params ?? {};
  const num = (key: string) => (typeof p[key] === 'number' ? (p[key] as number) : 0);
  switch (reason.code) {
    case 'too_small':
      if (p['origin'] === 'string') return t('errors.tooShort', { count: num('minimum') });
      if (p['origin'] === 'array' || p['origin'] === 'set') return t('errors.tooFew', { count: num('minimum') });
      return t('errors.tooLow', { minimum: num('minimum') });
    case 'too_big':
      if (p['origin'] === 'string') return t('errors.tooLong', { count: num('maximum') });
      if (p['origin'] === 'array' || p['origin'] === 'set') return t('errors.tooManyItems', { count: num('maximum') });
      return t('errors.tooHigh', { maximum: num('maximum') });
    case 'invalid_format': {
      const format = String(p['format'] ?? '');
      if (format === 'datetime' || format === 'date') return t('errors.notDate');
      if (format === 'uuid' || format === 'guid') return t('errors.notId');
      return t('errors.badFormat');
    }
    case 'invalid_value':
      return t('errors.notAChoice', { values: Array.isArray(p['values']) ? p['values'].join(', ') : '' });
    case 'invalid_type':
      return t('errors.required');
    case 'unrecognized_keys':
      return t('errors.unknownField', { keys: Array.isArray(p['keys']) ? p['keys'].join(', ') : '' });
    default: {
      // A refused rule draft: the validator's code with the names it refers to, when this page knows the code.
      const key = reason.code === undefined ? undefined : RULE_REASON_KEYS[reason.code];
      if (key === undefined) return reason.message;
      return t(key, Object.fromEntries(Object.entries(p).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value])));
    }
  }
}
