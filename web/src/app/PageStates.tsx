import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { Spinner } from '../ui/Spinner';
import { useDocumentTitle } from './useDocumentTitle';

/** Shown while a route's chunk loads. */
export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div className="page-state" aria-busy="true">
      <Spinner size={28} label={t('common.loading')} />
    </div>
  );
}

/** Any address no route claims. */
export function NotFound({ home = '/' }: { home?: string }) {
  const { t } = useTranslation();
  useDocumentTitle(`${t('common.notFound')} · ${t('brand.name')}`);
  return (
    <div className="page-state">
      <BrandMark size={48} className="page-state__mark" />
      <h1>{t('common.notFound')}</h1>
      <p>{t('common.notFoundBody')}</p>
      <Link to={home}>{t('common.backHome')}</Link>
    </div>
  );
}

/** A service named in the navigation but not built yet. */
export function ComingSoon() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('common.comingSoon')} · ${t('brand.name')}`);
  return (
    <div className="page-state">
      <BrandMark size={48} className="page-state__mark" />
      <h1>{t('common.comingSoon')}</h1>
      <p>{t('common.comingSoonBody')}</p>
      <Link to="/">{t('common.backHome')}</Link>
    </div>
  );
}

/** What the route error boundary shows: a failed chunk download (new deploy, flaky network) or a render bug. */
export function RouteError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error) console.error(error);
  return (
    <div className="page-state" role="alert">
      <BrandMark size={48} className="page-state__mark" />
      <h1>{t('common.chunkFailed')}</h1>
      <p>{t('common.chunkFailedBody')}</p>
      <Button onClick={() => window.location.reload()}>{t('common.reload')}</Button>
    </div>
  );
}
