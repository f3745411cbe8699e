export {
  type DeliveryAdapter,
  devAdapter,
  enqueueMessage,
  httpGatewayAdapter,
  type OutboundMessage,
  startOutboxWorker,
} from './service.ts';
export type { NotifyTables } from './store.ts';
export { notifyMigrations } from './migrations.ts';
