import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client.js';
import { pagesFor } from '../../auth/access.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

export function SignIn() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await session.signIn(username, password);
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from ?? `/${pagesFor(user.roles)[0] ?? ''}`, { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? new Error(t('signIn.wrong')) : e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <form onSubmit={(e) => void submit(e)} aria-label={t('signIn.title')}>
        <label>
          {t('signIn.username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <ErrorMessage error={error} />
      </form>
      <p>
        <a href="/public">{t('signIn.publicLink')}</a>
      </p>
    </main>
  );
}
