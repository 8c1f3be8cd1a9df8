import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import type { Locale } from '@qadaga/contracts/api';
import { SessionProvider } from '../auth/session.js';
import { changeLanguage } from '../i18n/i18n.js';

/** Renders a component as the app does: translations, a router, a query client and a session. */
export async function renderInApp(ui: ReactElement, options: { locale?: Locale; path?: string } = {}): Promise<RenderResult> {
  await changeLanguage(options.locale ?? 'en');
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <SessionProvider>
        <MemoryRouter initialEntries={[options.path ?? '/']}>{ui}</MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
}
