/** What the app and the demo seed may use of corporate e-banking. */
export { corporateErrors } from './errors.ts';
export { corporateMigrations } from './migrations.ts';
export { registerCorporateRoutes } from './routes.ts';
export { CORP_SESSION_COOKIE } from './sessions.ts';
export type { CorporateTables } from './store.ts';
export { parseUscc, usccCheckChar } from './uscc.ts';
export { DEMO_ENTERPRISE, seedDemoEnterprise } from './demo.ts';
export { startCorporateWorker, sweepCorporate } from './worker.ts';
export { enterpriseForCounter, findEnterprises, unlockOperatorAtCounter } from './counter.ts';
export {
  CounterEnterpriseDetail,
  CounterEnterpriseList,
  CounterEnterpriseQuery,
  CounterOperatorParams,
  CounterOperatorUnlocked,
} from './schema.ts';
