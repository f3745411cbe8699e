import '../banking/messages';
import '../banking/banking.css';
import { TransferPage } from '../banking/TransferPage';

/**
 * The Transfer tab: the web's transfer flow itself (form, confirmation with capitals, the medium's
 * challenge widgets, result and receipt), laid out for the phone by mobile.css; loaded on first use.
 */
export function MobileTransfer() {
  return (
    <div className="m-page m-transfer" data-testid="m-transfer">
      <TransferPage accountsPath="/m/" />
    </div>
  );
}
