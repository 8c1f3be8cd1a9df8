import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError } from '../api/client.js';
import { mayUse, pagesFor, type Page } from '../auth/access.js';
import { SessionProvider, useSession } from '../auth/session.js';
import { SignIn } from '../features/auth/SignIn.js';
import { FlagQueuePage } from '../features/flags/FlagQueuePage.js';
import { Layout } from './Layout.js';
import { NotAllowed } from './NotAllowed.js';

/** A page loaded when first visited: the queue, the page most people open first, ships in the main bundle; charts and editors do not. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}
const BundlesPage = page(() => import('../features/bundles/BundlesPage.js'), 'BundlesPage');
const CaseBoardPage = page(() => import('../features/cases/CaseBoardPage.js'), 'CaseBoardPage');
const CasePage = page(() => import('../features/cases/CasePage.js'), 'CasePage');
const CaseReportPage = page(() => import('../features/cases/CaseReportPage.js'), 'CaseReportPage');
const FlagDetailPage = page(() => import('../features/flags/FlagDetailPage.js'), 'FlagDetailPage');
const LedgerPage = page(() => import('../features/ledger/LedgerPage.js'), 'LedgerPage');
const PlacesPage = page(() => import('../features/places/PlacesPage.js'), 'PlacesPage');
const PublicPage = page(() => import('../features/public/PublicPage.js'), 'PublicPage');
const RuleEditorPage = page(() => import('../features/rules/RuleEditorPage.js'), 'RuleEditorPage');
const RulesPage = page(() => import('../features/rules/RulesPage.js'), 'RulesPage');
const ViolationPage = page(() => import('../features/violations/ViolationPage.js'), 'ViolationPage');
const CameraProfilePage = page(() => import('../features/profiles/ProfilePages.js'), 'CameraProfilePage');
const OfficerProfilePage = page(() => import('../features/profiles/ProfilePages.js'), 'OfficerProfilePage');
const ProfileSearchPage = page(() => import('../features/profiles/ProfilePages.js'), 'ProfileSearchPage');
const VehicleProfilePage = page(() => import('../features/profiles/ProfilePages.js'), 'VehicleProfilePage');
const UnitProfilePage = page(() => import('../features/profiles/ProfilePages.js'), 'UnitProfilePage');
const SearchPage = page(() => import('../features/search/SearchPage.js'), 'SearchPage');
const MyWorkPage = page(() => import('../features/work/MyWorkPage.js'), 'MyWorkPage');

function PageLoading() {
  const { t } = useTranslation();
  return <p role="status" className="muted">{t('common.loading')}</p>;
}

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
    <Suspense fallback={<PageLoading />}>
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
        <Route path="mine" element={<Allowed page="mine"><MyWorkPage /></Allowed>} />
        <Route path="cases" element={<Allowed page="cases"><CaseBoardPage /></Allowed>} />
        <Route path="cases/:id" element={<Allowed page="cases"><CasePage /></Allowed>} />
        <Route path="cases/:id/report" element={<Allowed page="cases"><CaseReportPage /></Allowed>} />
        <Route path="profiles" element={<Allowed page="profiles"><ProfileSearchPage /></Allowed>} />
        <Route path="profiles/officer/:id" element={<Allowed page="flags"><OfficerProfilePage /></Allowed>} />
        <Route path="profiles/vehicle/:plate" element={<Allowed page="flags"><VehicleProfilePage /></Allowed>} />
        <Route path="profiles/unit/:id" element={<Allowed page="places"><UnitProfilePage /></Allowed>} />
        <Route path="profiles/camera/:id" element={<Allowed page="flags"><CameraProfilePage /></Allowed>} />
        <Route path="violations/:ref" element={<Allowed page="flags"><ViolationPage /></Allowed>} />
        <Route path="search" element={<SearchPage />} />
        <Route path="places" element={<Allowed page="places"><PlacesPage /></Allowed>} />
        <Route path="rules" element={<Allowed page="rules"><RulesPage /></Allowed>} />
        <Route path="rules/:id" element={<Allowed page="rules"><RuleEditorPage /></Allowed>} />
        <Route path="ledger" element={<Allowed page="ledger"><LedgerPage /></Allowed>} />
        <Route path="bundles" element={<Allowed page="bundles"><BundlesPage /></Allowed>} />
        <Route path="*" element={<NotAllowed />} />
      </Route>
    </Routes>
    </Suspense>
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
