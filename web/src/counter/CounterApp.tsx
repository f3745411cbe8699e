import './messages';
import './counter.css';
import { CounterLogin } from './CounterLogin';
import { CounterShell } from './CounterShell';
import { useStaffSession } from './staffSession';

/** The teller console under /counter/: staff login, then the dense working shell. */
export function CounterApp() {
  const { staff, signIn, signOut } = useStaffSession();
  return (
    <div className="c-app">
      {staff ? <CounterShell staff={staff} onSignOut={signOut} /> : <CounterLogin onSignIn={signIn} />}
    </div>
  );
}
