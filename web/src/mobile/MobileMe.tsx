import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { customerName, useLogout, useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Button } from '../ui/Button';
import { UserIcon } from '../ui/icons';

/** "我的": who is signed in, the language, and signing out. */
export function MobileMe() {
  const { t } = useTranslation('mobile');
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  useDocumentTitle(`${t('tabs.me')} · ${t('appName')}`);
  return (
    <div className="m-me">
      <div className="m-me__profile">
        <span className="m-me__avatar">
          <UserIcon size={30} />
        </span>
        <p className="m-me__name">{customerName(session.data) ?? t('home.greetingAnon')}</p>
      </div>
      <Button
        variant="secondary"
        size="lg"
        block
        onClick={() => void logout().then(() => navigate('/m/login', { replace: true }))}
        data-testid="logout"
      >
        {t('me.signOut')}
      </Button>
    </div>
  );
}
