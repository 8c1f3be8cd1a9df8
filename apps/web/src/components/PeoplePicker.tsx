import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { authEndpoints } from '@qadaga/contracts/api';
import { call } from '../api/call.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from './ErrorMessage.js';

/** The people work is given to: active prosecutors, who may act on flags and cases. */
function usePeople() {
  return useQuery({ queryKey: ['users', 'prosecutor'], queryFn: () => call(authEndpoints.users, { query: { role: 'prosecutor' } }) });
}

/**
 * A person to give a case, a task or a flag to, picked by display name; the reader sees
 * themself marked as such. `value` is a user id, '' for the empty choice, which the form
 * names (nobody yet, choose…). Failing to load the people is said beside the list.
 */
export function PeoplePicker({ label, value, onChange, emptyLabel }: { label: string; value: string; onChange: (userId: string) => void; emptyLabel: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const people = usePeople();
  return (
    <>
      <label>
        {label}
        <select value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{emptyLabel}</option>
          {(people.data?.items ?? []).map((person) => (
            <option key={person.id} value={person.id}>
              {person.id === user?.id ? t('common.me', { name: person.displayName }) : person.displayName}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={people.error} />
    </>
  );
}
