/** What other domains (and the CLI) may use of the merchant gateway. */
export { merchantErrors } from './errors.ts';
export { merchantMigrations } from './migrations.ts';
export { registerGatewayRoutes } from './routes.ts';
export {
  bankPrivateKey,
  bankPublicKeyPem,
  type MerchantDeps,
  type NewMerchant,
  pagePay,
  registerMerchant,
  settlementAccountNumber,
} from './service.ts';
export { signParams, stringToSign, verifyParams } from './signing.ts';
export {
  listMerchants,
  type MerchantRow,
  type MerchantTables,
  merchantByAppId,
  type OrderRow,
  orderByTradeNo,
} from './store.ts';
