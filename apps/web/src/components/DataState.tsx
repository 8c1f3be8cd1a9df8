import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './ErrorMessage.js';

interface Props<T> {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined };
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Every page that loads something shows one of: loading, the error in words, "nothing here", or the data. */
export function DataState<T>({ query, isEmpty, empty, children }: Props<T>) {
  const { t } = useTranslation();
  if (query.isPending) return <p role="status" className="muted">{t('common.loading')}</p>;
  if (query.isError || query.data === undefined) return <ErrorMessage error={query.error} />;
  if (isEmpty?.(query.data) === true) return <p className="muted" role="status">{empty ?? t('common.empty')}</p>;
  return <>{children(query.data)}</>;
}
