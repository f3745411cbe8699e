import { createBrowserRouter, Navigate } from 'react-router';
import { NotFound, PageLoading, RouteError } from './app/PageStates';
import { LoginPage } from './login/LoginPage';
import { PersonalLayout } from './login/PersonalLayout';

/**
 * Three areas, each with its own layout. Only personal banking's login page is in the entry chunk;
 * the logged-in pages, the mobile app and the teller console arrive as separate chunks on first visit
 * (DESIGN.md, "the login page's JavaScript small").
 */
export const router = createBrowserRouter([
  {
    path: '/m/*',
    HydrateFallback: PageLoading,
    ErrorBoundary: RouteError,
    lazy: async () => ({ Component: (await import('./mobile/MobileApp')).MobileApp }),
  },
  {
    path: '/corporate/*',
    HydrateFallback: PageLoading,
    ErrorBoundary: RouteError,
    lazy: async () => ({ Component: (await import('./corporate/CorporateApp')).CorporateApp }),
  },
  {
    path: '/counter/*',
    HydrateFallback: PageLoading,
    ErrorBoundary: RouteError,
    lazy: async () => ({ Component: (await import('./counter/CounterApp')).CounterApp }),
  },
  {
    path: '/',
    Component: PersonalLayout,
    HydrateFallback: PageLoading,
    ErrorBoundary: RouteError,
    children: [
      { index: true, Component: LoginPage },
      {
        // The logged-in pages: one lazy layout (session guard, navigation, idle warning), each page its own chunk.
        lazy: async () => ({ Component: (await import('./banking/BankingLayout')).BankingLayout }),
        children: [
          {
            path: 'accounts',
            lazy: async () => ({ Component: (await import('./banking/AccountsOverview')).AccountsOverview }),
          },
          {
            path: 'accounts/:id/history',
            lazy: async () => ({ Component: (await import('./banking/HistoryPage')).HistoryPage }),
          },
          {
            path: 'transfer',
            lazy: async () => ({ Component: (await import('./banking/TransferPage')).TransferPage }),
          },
          {
            path: 'bills',
            lazy: async () => ({ Component: (await import('./banking/bills/BillsPage')).BillsPage }),
          },
          {
            path: 'security',
            lazy: async () => ({ Component: (await import('./banking/SecurityPage')).SecurityPage }),
          },
        ],
      },
      {
        // The merchant gateway's checkout (/pay/{tradeNo}): sign-in and payment on one page, its own chunk.
        path: 'pay/:tradeNo',
        lazy: async () => ({ Component: (await import('./pay/CheckoutPage')).CheckoutPage }),
      },
      {
        // The e-password device simulator, for demos and tests: its server route exists outside production only.
        path: 'dev/e-token',
        lazy: async () => ({ Component: (await import('./dev/ETokenPage')).ETokenPage }),
      },
      // The ways in and the public documents: each its own chunk, reachable without signing in.
      {
        path: 'register',
        lazy: async () => ({ Component: (await import('./register/RegisterPage')).RegisterPage }),
      },
      {
        path: 'forgot-password',
        lazy: async () => ({ Component: (await import('./register/ForgotPasswordPage')).ForgotPasswordPage }),
      },
      { path: 'password-reset', element: <Navigate to="/forgot-password" replace /> },
      { path: 'privacy', lazy: async () => ({ Component: (await import('./legal/PrivacyPage')).PrivacyPage }) },
      { path: 'terms', lazy: async () => ({ Component: (await import('./legal/TermsPage')).TermsPage }) },
      { path: 'safety', lazy: async () => ({ Component: (await import('./legal/SafetyPage')).SafetyPage }) },
      { path: '*', Component: NotFound },
    ],
  },
]);
