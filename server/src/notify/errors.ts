import { defineErrors } from '../platform/errors.ts';

/** The message centre's error codes. */
export const notifyErrors = defineErrors({
  'message.not_found': { status: 404, zh: '未找到该消息。', en: 'No such message.' },
});
