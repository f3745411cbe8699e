import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMS_OTP_TTL_SECONDS } from '../media/index.ts';
import { smsTemplates, smsText, smsTextKeys } from './sms-texts.ts';

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every SMS text carries the same placeholders in Chinese and English, and names the bank', () => {
  for (const key of smsTextKeys()) {
    const { zh, en } = smsTemplates(key);
    assert.deepEqual(placeholders(zh), placeholders(en), key);
    assert.ok(zh.startsWith('【金库】') && en.startsWith('[Jinku]'), key);
  }
});

test('a code text states the validity it is given, in both languages', () => {
  const minutes = SMS_OTP_TTL_SECONDS / 60;
  assert.match(smsText('login.otp', { code: '123456', minutes }), new RegExp(`123456.*${minutes} 分钟内有效`));
  assert.match(smsText('login.otp', { code: '123456', minutes }, 'en'), new RegExp(`valid for ${minutes} minutes`));
});

test('fills every placeholder of a text', () => {
  const text = smsText('transfer.otp', {
    code: '1',
    minutes: 5,
    payeeLast4: '4321',
    payeeName: '李四',
    amount: '9.99',
  });
  assert.doesNotMatch(text, /\{\w+\}/);
});
