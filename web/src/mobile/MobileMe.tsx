import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { customerName, useLogout, useSession } from '../api/session';
import { useDocumentTitle } from '../app/useDocumentTitle';
import { Alert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { ProblemAlert } from '../ui/ProblemAlert';
import { passkeyHere, turnOffPasskey } from './passkeyApi';
import { UserIcon } from '../ui/icons';

/** "我的": who is signed in, the language, and signing out. */
export function MobileMe() {
  const { t } = useTranslation('mobile');
  const session = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const [hasPasskey, setHasPasskey] = useState(() => passkeyHere() !== null);
  const turnOff = useMutation({ mutationFn: turnOffPasskey, onSuccess: () => setHasPasskey(false) });
  useDocumentTitle(`${t('tabs.me')} · ${t('appName')}`);
  return (
    <div className="m-me">
      <div className="m-me__profile">
        <span className="m-me__avatar">
          <UserIcon size={30} />
        </span>
        <p className="m-me__name">{customerName(session.data) ?? t('home.greetingAnon')}</p>
      </div>
      {hasPasskey && (
        <section className="m-me__passkey stack" aria-labelledby="m-me-passkey" data-testid="passkey-setting">
          <h2 id="m-me-passkey">{t('passkey.settingTitle')}</h2>
          <p>{t('passkey.settingOn')}</p>
          {turnOff.error && <ProblemAlert error={turnOff.error} />}
          <Button
            variant="secondary"
            size="lg"
            block
            busy={turnOff.isPending}
            onClick={() => turnOff.mutate()}
            data-testid="passkey-turn-off"
          >
            {t('passkey.turnOff')}
          </Button>
        </section>
      )}
      {turnOff.isSuccess && (
        <Alert tone="success" testId="passkey-turned-off">
          {t('passkey.turnedOff')}
        </Alert>
      )}
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
