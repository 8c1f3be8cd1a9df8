import { useTranslation } from 'react-i18next';

export function NotAllowed() {
  const { t } = useTranslation();
  return (
    <section>
      <h1>{t('notAllowed.title')}</h1>
      <p>{t('notAllowed.text')}</p>
    </section>
  );
}
