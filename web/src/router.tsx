import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { LazyRoute, type LazyPage, lazyPage } from './app/lazyPage';
import { NotFound } from './app/PageStates';
import { RouteBoundary } from './app/RouteBoundary';

// Every page is its own chunk, the login pages included: the entry holds only the router, so the phone's
// login does not carry the web's and the other way round (DESIGN.md, "the login page's JavaScript small").
// index.html's shell script starts the first screen's download beside the entry's (vite.config.ts).
const PersonalLayout = lazyPage(async () => (await import('./login/PersonalLayout')).PersonalLayout);
const LoginPage = lazyPage(async () => (await import('./login/LoginPage')).LoginPage);
const MobileApp = lazyPage(async () => (await import('./mobile/MobileApp')).MobileApp);
const CorporateApp = lazyPage(async () => (await import('./corporate/CorporateApp')).CorporateApp);
const CounterApp = lazyPage(async () => (await import('./counter/CounterApp')).CounterApp);
const BankingLayout = lazyPage(async () => (await import('./banking/BankingLayout')).BankingLayout);
const AccountsOverview = lazyPage(async () => (await import('./banking/AccountsOverview')).AccountsOverview);
const HistoryPage = lazyPage(async () => (await import('./banking/HistoryPage')).HistoryPage);
const TransferPage = lazyPage(async () => (await import('./banking/TransferPage')).TransferPage);
const BillsPage = lazyPage(async () => (await import('./banking/bills/BillsPage')).BillsPage);
const SecurityPage = lazyPage(async () => (await import('./banking/SecurityPage')).SecurityPage);
const CheckoutPage = lazyPage(async () => (await import('./pay/CheckoutPage')).CheckoutPage);
const ETokenPage = lazyPage(async () => (await import('./dev/ETokenPage')).ETokenPage);
const RegisterPage = lazyPage(async () => (await import('./register/RegisterPage')).RegisterPage);
const ForgotPasswordPage = lazyPage(async () => (await import('./register/ForgotPasswordPage')).ForgotPasswordPage);
const PrivacyPage = lazyPage(async () => (await import('./legal/PrivacyPage')).PrivacyPage);
const TermsPage = lazyPage(async () => (await import('./legal/TermsPage')).TermsPage);
const SafetyPage = lazyPage(async () => (await import('./legal/SafetyPage')).SafetyPage);

const page = (element: ReactNode) => <RouteBoundary>{element}</RouteBoundary>;
const lazyRoute = (lazy: LazyPage) => page(<LazyRoute page={lazy} />);

/**
 * Starts downloading the page the browser opened on, so the first render shows it at once (main.tsx
 * waits for it); other pages of personal banking show a spinner inside its frame while they load.
 */
export function preloadFirstPage(pathname: string): Promise<unknown> {
  const area = pathname.split('/')[1];
  if (area === 'm') return MobileApp.preload();
  if (area === 'counter') return CounterApp.preload();
  if (area === 'corporate') return CorporateApp.preload();
  return Promise.all([PersonalLayout.preload(), pathname === '/' ? LoginPage.preload() : undefined]);
}

/**
 * Three areas, each with its own layout, on React Router's declarative routes (its data router, unused
 * here beyond lazy loading, weighed ~18 KB gzipped on every first screen).
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/m/*" element={lazyRoute(MobileApp)} />
      <Route path="/corporate/*" element={lazyRoute(CorporateApp)} />
      <Route path="/counter/*" element={lazyRoute(CounterApp)} />
      <Route path="/" element={lazyRoute(PersonalLayout)}>
        <Route index element={lazyRoute(LoginPage)} />
        {/* The logged-in pages: one lazy layout (session guard, navigation, idle warning), each page its own chunk. */}
        <Route element={lazyRoute(BankingLayout)}>
          <Route path="accounts" element={lazyRoute(AccountsOverview)} />
          <Route path="accounts/:id/history" element={lazyRoute(HistoryPage)} />
          <Route path="transfer" element={lazyRoute(TransferPage)} />
          <Route path="bills" element={lazyRoute(BillsPage)} />
          <Route path="security" element={lazyRoute(SecurityPage)} />
        </Route>
        {/* The merchant gateway's checkout (/pay/{tradeNo}): sign-in and payment on one page. */}
        <Route path="pay/:tradeNo" element={lazyRoute(CheckoutPage)} />
        {/* The e-password device simulator, for demos and tests: its server route exists outside production only. */}
        <Route path="dev/e-token" element={lazyRoute(ETokenPage)} />
        {/* The ways in and the public documents: each its own chunk, reachable without signing in. */}
        <Route path="register" element={lazyRoute(RegisterPage)} />
        <Route path="forgot-password" element={lazyRoute(ForgotPasswordPage)} />
        <Route path="password-reset" element={<Navigate to="/forgot-password" replace />} />
        <Route path="privacy" element={lazyRoute(PrivacyPage)} />
        <Route path="terms" element={lazyRoute(TermsPage)} />
        <Route path="safety" element={lazyRoute(SafetyPage)} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** The app's routes on the browser's address bar. */
export function AppRouter() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
