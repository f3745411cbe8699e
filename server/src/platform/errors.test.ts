import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messageFor, pickLanguage, registeredCodes } from './errors.ts';

describe('error catalogue', () => {
  test('every code has a Chinese and an English message and a client or server status', () => {
    assert.ok(registeredCodes().size > 5);
    for (const [code, definition] of registeredCodes()) {
      assert.match(code, /^[a-z_]+\.[a-z_.]+$/, code);
      assert.ok(definition.zh.length > 0 && /[\u4e00-\u9fff]/.test(definition.zh), `${code} zh`);
      assert.ok(definition.en.length > 0 && !/[\u4e00-\u9fff]/.test(definition.en), `${code} en`);
      assert.ok(definition.status >= 400 && definition.status < 600, code);
    }
  });

  test('chooses the language from Accept-Language, zh-CN by default', () => {
    assert.equal(pickLanguage(undefined), 'zh-CN');
    assert.equal(pickLanguage('en-US,en;q=0.9'), 'en');
    assert.equal(pickLanguage('fr-FR, en;q=0.5'), 'en');
    assert.equal(pickLanguage('en;q=0.3, zh-CN;q=0.8'), 'zh-CN');
    assert.equal(pickLanguage('de'), 'zh-CN');
    assert.equal(pickLanguage('garbage;;;q=x'), 'zh-CN');
  });

  test('fills message parameters', () => {
    assert.equal(
      messageFor('request.invalid', 'en', { reason: 'x is missing' }),
      'The request is invalid: x is missing',
    );
  });
});
