import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from '../api/client.js';
import { mayUse, pagesFor, type Page } from '../auth/access.js';
import { SessionProvider, useSession } from '../auth/session.js';
import { SignIn } from '../features/auth/SignIn.js';
import { BundlesPage } from '../features/bundles/BundlesPage.js';
import { CaseBoardPage } from '../features/cases/CaseBoardPage.js';
import { CasePage } from '../features/cases/CasePage.js';
import { FlagDetailPage } from '../features/flags/FlagDetailPage.js';
import { FlagQueuePage } from '../features/flags/FlagQueuePage.js';
import { LedgerPage } from '../features/ledger/LedgerPage.js';
import { PlacesPage } from '../features/places/PlacesPage.js';
import { CameraProfilePage, OfficerProfilePage, ProfileSearchPage, VehicleProfilePage } from '../features/profiles/ProfilePages.js';
import { PublicPage } from '../features/public/PublicPage.js';
import { RuleEditorPage } from '../features/rules/RuleEditorPage.js';
import { RulesPage } from '../features/rules/RulesPage.js';
import { ViolationPage } from '../features/violations/ViolationPage.js';
import { Layout } from './Layout.js';
import { NotAllowed } from './NotAllowed.js';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change on retry; a dropped connection might.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
        staleTime: 15_000,
        refetchOnWindowFocus: false,
      },
    },
  });
}

function RequireUser({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

function Allowed({ page, children }: { page: Page; children: ReactNode }) {
  const { user } = useSession();
  if (user === null || !mayUse(user.roles, page)) return <NotAllowed />;
  return <>{children}</>;
}

function Home() {
  const { user } = useSession();
  const first = user === null ? undefined : pagesFor(user.roles)[0];
  return <Navigate to={first === undefined ? '/sign-in' : `/${first}`} replace />;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route path="/public" element={<PublicPage />} />
      <Route
        element={
          <RequireUser>
            <Layout />
          </RequireUser>
        }
      >
        <Route index element={<Home />} />
        <Route path="flags" element={<Allowed page="flags"><FlagQueuePage /></Allowed>} />
        <Route path="flags/:id" element={<Allowed page="flags"><FlagDetailPage /></Allowed>} />
        <Route path="cases" element={<Allowed page="cases"><CaseBoardPage /></Allowed>} />
        <Route path="cases/:id" element={<Allowed page="cases"><CasePage /></Allowed>} />
        <Route path="profiles" element={<Allowed page="profiles"><ProfileSearchPage /></Allowed>} />
        <Route path="profiles/officer/:id" element={<Allowed page="flags"><OfficerProfilePage /></Allowed>} />
        <Route path="profiles/vehicle/:plate" element={<Allowed page="flags"><VehicleProfilePage /></Allowed>} />
        <Route path="profiles/camera/:id" element={<Allowed page="flags"><CameraProfilePage /></Allowed>} />
        <Route path="violations/:ref" element={<Allowed page="flags"><ViolationPage /></Allowed>} />
        <Route path="places" element={<Allowed page="places"><PlacesPage /></Allowed>} />
        <Route path="rules" element={<Allowed page="rules"><RulesPage /></Allowed>} />
        <Route path="rules/:id" element={<Allowed page="rules"><RuleEditorPage /></Allowed>} />
        <Route path="ledger" element={<Allowed page="ledger"><LedgerPage /></Allowed>} />
        <Route path="bundles" element={<Allowed page="bundles"><BundlesPage /></Allowed>} />
        <Route path="*" element={<NotAllowed />} />
      </Route>
    </Routes>
  );
}

export function App({ queryClient = createQueryClient() }: { queryClient?: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrowserRouter>
          <AppRoutes />
        </BrowserRouter>
      </SessionProvider>
    </QueryClientProvider>
  );
}
