/**
 * What other domains may use of outbound messages: queue an SMS or post an in-app message in a
 * transaction, deliver, read the dev outbox, and the message centre's routes.
 */
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
export { type InboxMessage, postInboxMessage, postInboxMessages } from './inbox.ts';
export { registerMessageRoutes } from './inbox-routes.ts';
export { notifyErrors } from './errors.ts';
