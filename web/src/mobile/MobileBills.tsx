import '../banking/messages';
import '../banking/banking.css';
import { BillsPage } from '../banking/bills/BillsPage';

/**
 * 生活缴费 on the phone: the web's bills flow itself (biller, bill query, payment with the challenge the
 * amount needs, result and receipt), laid out for the phone by mobile.css; loaded on first use.
 */
export function MobileBills() {
  return (
    <div className="m-page m-bills" data-testid="m-bills">
      <BillsPage accountsPath="/m/" />
    </div>
  );
}
