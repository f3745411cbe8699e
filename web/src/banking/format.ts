/** Lists and pages of the web bank show times in the bank's zone (see ui/bankTime.ts). */
export { formatBankDateTime as formatDateTime } from '../ui/bankTime';
