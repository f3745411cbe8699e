import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
// Every domain's catalogue registers itself when the app's modules load.
import '../app.ts';
import { AppError, messageFor, pickLanguage, registeredCodes } from './errors.ts';
import { handleError } from './http/problem.ts';

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

  test('every code the server throws by name is in a catalogue', () => {
    // Codes taken from a catalogue (`errors['x.y']`) are checked by the compiler; these are the literals.
    const thrown = new Map<string, string>();
    for (const file of sourceFiles(join(import.meta.dirname, '..'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/new AppError\(\s*'([^']+)'/g)) {
        thrown.set(match[1]!, file);
      }
    }
    assert.ok(thrown.size > 0);
    for (const [code, file] of thrown) assert.ok(registeredCodes().has(code), `${code} (${file}) is registered`);
  });

  test('an unregistered code is logged and answered as system.internal, never passed through', async () => {
    const logged: string[] = [];
    const app = Fastify({
      logger: { level: 'error', stream: { write: (line: string) => logged.push(line) } },
    });
    app.setErrorHandler(handleError);
    app.get('/boom', async () => {
      throw new AppError('nobody.defined_this');
    });
    const response = await app.inject({ url: '/boom' });
    await app.close();
    assert.equal(response.statusCode, 500);
    assert.equal(JSON.parse(response.body).code, 'system.internal');
    assert.ok(logged.some((line) => line.includes('nobody.defined_this')));
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}
