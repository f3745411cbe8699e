import './messages';
import './counter.css';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../ui/Spinner';
import { CounterIdleWarning } from './CounterIdleWarning';
import { CounterLogin } from './CounterLogin';
import { CounterShell } from './CounterShell';
import { useStaffSession } from './staffSession';

/** The teller console under /counter/: staff sign-in, then the dense working shell with its idle warning. */
export function CounterApp() {
  const { t } = useTranslation('counter');
  const { loading, staff, idleTimeoutSeconds, ended, signIn, signInWithKey, signOut, stay } = useStaffSession();
  if (loading) {
    return (
      <div className="c-app c-app--loading">
        <Spinner size={28} label={t('login.checking')} />
      </div>
    );
  }
  return (
    <div className="c-app">
      {staff ? (
        <>
          <CounterShell key={staff.id} staff={staff} onSignOut={() => void signOut()} />
          <CounterIdleWarning
            timeoutSeconds={idleTimeoutSeconds}
            onStay={stay}
            onExpire={() => void signOut('idle')}
            onLeave={() => void signOut()}
          />
        </>
      ) : (
        <CounterLogin
          onSignIn={signIn}
          onKeySignIn={signInWithKey}
          notice={ended === 'idle' ? t('login.idleEnded') : undefined}
        />
      )}
    </div>
  );
}
