import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameOf, placeIn, placeOf, placesOf, placeWith } from './geo.ts';

// Public addresses whose place the shipped database (geoip-lite 2.0.3) knows: a Beijing address of
// China Unicom, a Chengdu address of China Telecom, a Shanghai one, Google's public resolvers.
test('a Beijing address is 北京, in both languages', async () => {
  assert.deepEqual(await placeOf('123.125.114.144'), { kind: 'china', zh: '北京', en: 'Beijing' });
});

test('a Chengdu address names its province and city', async () => {
  assert.deepEqual(await placeOf('61.139.2.69'), { kind: 'china', zh: '四川 成都', en: 'Chengdu, Sichuan' });
});

test('a Shanghai address is 上海 (a municipality is never named twice)', async () => {
  assert.equal((await placeOf('202.96.209.133')).zh, '上海');
});

test('an address in the United States is named by its country', async () => {
  assert.deepEqual(await placeOf('8.8.8.8'), { kind: 'abroad', zh: '美国', en: 'United States' });
});

test('IPv6: a public address is looked up, loopback and unique-local are the private network', async () => {
  assert.equal((await placeOf('2001:4860:4860::8888')).zh, '美国');
  assert.equal((await placeOf('::1')).zh, '内网');
  assert.equal((await placeOf('fd12:3456::1')).zh, '内网');
  assert.equal((await placeOf('fe80::1')).en, 'private network');
});

test('an IPv4-mapped IPv6 address is its IPv4 address', async () => {
  assert.equal((await placeOf('::ffff:123.125.114.144')).zh, '北京');
  assert.equal((await placeOf('::ffff:127.0.0.1')).zh, '内网');
});

test('loopback and private addresses are 内网 / private network', async () => {
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '100.64.0.1', '169.254.1.1']) {
    assert.deepEqual(await placeOf(ip), { kind: 'private', zh: '内网', en: 'private network' }, ip);
  }
});

test('garbage, empty and unknown addresses are 未知地点', async () => {
  for (const ip of ['not an ip', '', null, undefined, '999.1.1.1', '1.2.3', '::gg']) {
    assert.deepEqual(await placeOf(ip), { kind: 'unknown', zh: '未知地点', en: 'unknown location' }, String(ip));
  }
  // A public address the database has no row for.
  assert.equal(placeWith(() => null, '203.0.113.7').zh, '未知地点');
  // A lookup that throws is an unknown place, not a failed page.
  assert.equal(
    placeWith(() => {
      throw new Error('broken database');
    }, '203.0.113.7').zh,
    '未知地点',
  );
});

test('places of a list keep its order', async () => {
  const places = await placesOf(['127.0.0.1', '8.8.8.8', null]);
  assert.deepEqual(
    places.map((p) => p.zh),
    ['内网', '美国', '未知地点'],
  );
});

test('names: a Chinese region without a province row is China; Hong Kong by its everyday name', () => {
  assert.deepEqual(nameOf({ country: 'CN', region: '', city: '' }), { kind: 'china', zh: '中国', en: 'China' });
  assert.deepEqual(nameOf({ country: 'CN', region: 'GD', city: 'Shenzhen' }), {
    kind: 'china',
    zh: '广东 深圳',
    en: 'Shenzhen, Guangdong',
  });
  assert.equal(nameOf({ country: 'CN', region: 'GD', city: 'Qingyuan' }).zh, '广东');
  assert.equal(nameOf({ country: 'HK', region: '', city: '' }).zh, '香港');
  assert.equal(nameOf({ country: 'JP', region: '', city: 'Tokyo' }).en, 'Japan');
  assert.equal(nameOf({ country: 'QQ', region: '', city: '' }).zh, '未知地点');
});

test('a place in the language the request asked for', () => {
  const beijing = { kind: 'china', zh: '北京', en: 'Beijing' } as const;
  assert.equal(placeIn(beijing, 'zh-CN'), '北京');
  assert.equal(placeIn(beijing, 'en'), 'Beijing');
});
