/** What other domains (and the CLI) may use of the merchant gateway. */
import { registerSpending } from '../payments/index.ts';
import { checkoutSpentSinceFen } from './store.ts';

export { merchantErrors } from './errors.ts';
export { merchantMigrations } from './migrations.ts';
export { demoShop } from './demo-shop.ts';
export { deliverDueNotifies, startGatewayNotifier } from './notify.ts';
export { registerGatewayRoutes } from './routes.ts';
export {
  BANK_KEY_OVERLAP_MS,
  bankPrivateKey,
  bankPublicKeyPem,
  type MerchantDeps,
  type NewMerchant,
  pagePay,
  registerMerchant,
  rotateBankKey,
  settlementAccountNumber,
} from './service.ts';
export { signParams, stringToSign, verifyParams } from './signing.ts';
export { isStatementDate, merchantStatementCsv } from './statement.ts';
export {
  listMerchants,
  type MerchantRow,
  type MerchantTables,
  merchantByAppId,
  type OrderRow,
  orderByTradeNo,
  // The counter turns a customer's e-commerce (online payment) function on or off.
  ecommerceEnabled,
  setEcommerce,
} from './store.ts';
// The counter's admin area lists, registers, suspends and resumes merchants.
export { type MerchantAdminActor, merchantsForAdmin, registerMerchantAtCounter, switchMerchant } from './admin.ts';

// Checkout payments count against the same tier and daily limits as transfers: payments sums this
// table through the source registered here (it never reads the gateway's tables itself).
registerSpending('merchant_payment', checkoutSpentSinceFen);
