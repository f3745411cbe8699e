/** What the rest of the server may use of bill payment: its routes, tables and migrations. */
import { registerSpending } from '../payments/index.ts';
import { billSpentSinceFen } from './store.ts';

export { billErrors } from './errors.ts';
export { billMigrations } from './migrations.ts';
export { registerBillRoutes } from './routes.ts';
export type { BillTables } from './store.ts';

// Bill payments count against the same tier and daily limits as transfers: payments sums this table
// through the source registered here (it never reads bills' tables itself).
registerSpending('bill_payment', billSpentSinceFen);
