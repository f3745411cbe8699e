/** What other domains may use of outbound messages: queue one in a transaction, deliver, read the dev outbox. */
export {
  type DeliveryAdapter,
  deliverDueMessages,
  devAdapter,
  enqueueMessage,
  httpGatewayAdapter,
  type OutboundMessage,
  startOutboxWorker,
} from './service.ts';
export { type SmsTextKey, type SmsTextParams, smsText } from './sms-texts.ts';
export type { NotifyTables } from './store.ts';
export { notifyMigrations } from './migrations.ts';
export { registerDevOutbox } from './routes.ts';
