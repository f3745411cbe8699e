import { useTranslation } from 'react-i18next';
import { Link, Outlet, useNavigate } from 'react-router';
import { customerName, useLogout, useSession } from '../api/session';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { BrandMark } from '../ui/BrandMark';
import { Button } from '../ui/Button';
import { PhoneIcon } from '../ui/icons';
import './personal.css';

/** The frame of personal web banking: brand header with the language switch, the page, the footer. */
export function PersonalLayout() {
  const { t } = useTranslation();
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const name = session.data?.authenticated ? customerName(session.data) : undefined;

  return (
    <div className="personal">
      <a className="skip-link" href="#main">
        {t('nav.skipToContent')}
      </a>
      <header className="personal-header">
        <div className="personal-header__inner">
          <Link
            to="/"
            className="brand"
            // The name read out holds every word on screen (WCAG 2.5.3, "label in name"): 金库 Jinku 个人网上银行.
            aria-label={`${t('brand.name')} ${t('brand.latin')} ${t('brand.personal')}`}
          >
            <BrandMark size={40} />
            <span className="brand__text">
              <span className="brand__name">{t('brand.name')}</span>
              <span className="brand__latin">{t('brand.latin')}</span>
            </span>
            <span className="brand__divider" aria-hidden="true" />
            <span className="brand__area">{t('brand.personal')}</span>
          </Link>
          <nav className="personal-header__tools" aria-label={t('nav.help')}>
            <span className="hotline">
              <PhoneIcon size={16} />
              <span>{t('hotline.label')}</span>
              <strong className="tabular">{t('hotline.number')}</strong>
            </span>
            {session.data?.authenticated && (
              <>
                {name && <span className="personal-header__greeting">{t('session.welcome', { name })}</span>}
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => void logout().then(() => navigate('/', { replace: true }))}
                  data-testid="logout"
                >
                  {t('common.signOut')}
                </Button>
              </>
            )}
            <LanguageSwitch />
          </nav>
        </div>
      </header>
      <main id="main" className="personal-main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="personal-footer">
        <div className="personal-footer__inner">
          <nav className="personal-footer__links" aria-label={t('footer.terms')}>
            <Link to="/privacy">{t('footer.privacy')}</Link>
            <Link to="/terms">{t('footer.terms')}</Link>
            <Link to="/safety">{t('footer.security')}</Link>
          </nav>
          <p className="personal-footer__warning">{t('footer.regulator')}</p>
          <p className="personal-footer__rights">{t('footer.rights')}</p>
        </div>
      </footer>
    </div>
  );
}
