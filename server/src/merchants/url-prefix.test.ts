import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnderPrefix, urlPrefixRefusal } from './url-prefix.ts';

test('a URL under the registered prefix is admitted', () => {
  const prefix = 'https://shop.example.com/pay/notify';
  assert.ok(isUnderPrefix('https://shop.example.com/pay/notify', prefix));
  assert.ok(isUnderPrefix('https://shop.example.com/pay/notify/42?x=1', prefix));
  assert.ok(isUnderPrefix('https://SHOP.example.com:443/pay/notify/42', prefix), 'host case and default port');
  assert.ok(isUnderPrefix('https://shop.example.com/anything', 'https://shop.example.com'));
  assert.ok(isUnderPrefix('https://shop.example.com/a/b', 'https://shop.example.com/a/'));
});

test('look-alike hosts, other ports, schemes, paths and credentials are refused', () => {
  const bare = 'https://shop.example.com';
  for (const evil of [
    'https://shop.example.com.evil.net/',
    'https://shop.example.com.evil.net/notify',
    'https://shop.example.com@evil.net/',
    'https://evil.net/?https://shop.example.com',
    'http://shop.example.com/',
    'https://shop.example.com:8443/',
    'https://user:pw@shop.example.com/',
    'not a url',
  ]) {
    assert.ok(!isUnderPrefix(evil, bare), evil);
  }
  const prefix = 'https://shop.example.com/pay/notify';
  for (const evil of [
    'https://shop.example.com/pay/notify-evil',
    'https://shop.example.com/pay/notifyx',
    'https://shop.example.com/pay/notify/../../admin',
    'https://shop.example.com/pay/notify/%2e%2e/%2e%2e/admin',
    'https://shop.example.com/pay',
    'https://shop.example.com/',
  ]) {
    assert.ok(!isUnderPrefix(evil, prefix), evil);
  }
});

test('a prefix is registered only as an absolute URL without credentials, query or fragment (https in production)', () => {
  assert.equal(urlPrefixRefusal('https://shop.example.com/notify', 'production'), null);
  assert.equal(urlPrefixRefusal('http://127.0.0.1:8080/', 'development'), null);
  assert.equal(urlPrefixRefusal('http://shop.example.com/', 'production'), 'not https');
  assert.equal(urlPrefixRefusal('/notify', 'development'), 'not an absolute URL');
  assert.equal(urlPrefixRefusal('ftp://shop.example.com/', 'development'), 'not an http(s) URL');
  assert.equal(urlPrefixRefusal('https://u:p@shop.example.com/', 'development'), 'carries credentials');
  assert.equal(urlPrefixRefusal('https://shop.example.com/?a=1', 'development'), 'has a query or fragment');
  assert.equal(urlPrefixRefusal('https://shop.example.com/#x', 'development'), 'has a query or fragment');
  assert.equal(urlPrefixRefusal('https://shop.example.com/?', 'development'), 'has a query or fragment');
});
