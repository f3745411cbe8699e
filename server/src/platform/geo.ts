import { BlockList, isIP } from 'node:net';
import type { Lang } from './errors.ts';

/**
 * The coarse place of an IP address ("北京", "广东 深圳", "美国", "内网"), for the customer to recognise a
 * sign-in: the overview's last sign-in, the security centre's sessions and devices, the QR scan's
 * requesting browser and the new-device messages. Looked up offline in the GeoLite-derived database that
 * the `geoip-lite` package ships (no request leaves the bank), on the server only: the database is about
 * 110 MB, so it is loaded on the first lookup and never reaches a browser. Nothing is stored: the place is
 * computed when an address is shown, so a newer database names old addresses better.
 */
export type Place = {
  /** What kind of place: a Chinese province or city, another country, the bank's own networks, or none. */
  kind: 'china' | 'abroad' | 'private' | 'unknown';
  zh: string;
  en: string;
};

const PRIVATE: Place = { kind: 'private', zh: '内网', en: 'private network' };
export const UNKNOWN_PLACE: Place = { kind: 'unknown', zh: '未知地点', en: 'unknown location' };

/** Addresses that name no place: loopback, private, link-local, shared (CGNAT) and unique-local ranges. */
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

/**
 * Chinese provinces by their ISO 3166-2:CN code as the database gives them (region). The database's own
 * names are English only; a customer reading Chinese expects 广东, not Guangdong.
 */
const PROVINCES: Record<string, [zh: string, en: string]> = {
  BJ: ['北京', 'Beijing'],
  TJ: ['天津', 'Tianjin'],
  HE: ['河北', 'Hebei'],
  SX: ['山西', 'Shanxi'],
  NM: ['内蒙古', 'Inner Mongolia'],
  LN: ['辽宁', 'Liaoning'],
  JL: ['吉林', 'Jilin'],
  HL: ['黑龙江', 'Heilongjiang'],
  SH: ['上海', 'Shanghai'],
  JS: ['江苏', 'Jiangsu'],
  ZJ: ['浙江', 'Zhejiang'],
  AH: ['安徽', 'Anhui'],
  FJ: ['福建', 'Fujian'],
  JX: ['江西', 'Jiangxi'],
  SD: ['山东', 'Shandong'],
  HA: ['河南', 'Henan'],
  HB: ['湖北', 'Hubei'],
  HN: ['湖南', 'Hunan'],
  GD: ['广东', 'Guangdong'],
  GX: ['广西', 'Guangxi'],
  HI: ['海南', 'Hainan'],
  CQ: ['重庆', 'Chongqing'],
  SC: ['四川', 'Sichuan'],
  GZ: ['贵州', 'Guizhou'],
  YN: ['云南', 'Yunnan'],
  XZ: ['西藏', 'Tibet'],
  SN: ['陕西', 'Shaanxi'],
  GS: ['甘肃', 'Gansu'],
  QH: ['青海', 'Qinghai'],
  NX: ['宁夏', 'Ningxia'],
  XJ: ['新疆', 'Xinjiang'],
};

/** The four municipalities are their own province: "北京", never "北京 北京". */
const MUNICIPALITIES = new Set(['BJ', 'TJ', 'SH', 'CQ']);

/** Larger cities by the database's English name; a city not listed shows as its province alone. */
const CITIES: Record<string, string> = {
  Shenzhen: '深圳',
  Guangzhou: '广州',
  Dongguan: '东莞',
  Foshan: '佛山',
  Zhuhai: '珠海',
  Hangzhou: '杭州',
  Ningbo: '宁波',
  Wenzhou: '温州',
  Nanjing: '南京',
  Suzhou: '苏州',
  Wuxi: '无锡',
  Chengdu: '成都',
  Wuhan: '武汉',
  "Xi'an": '西安',
  Xian: '西安',
  Changsha: '长沙',
  Zhengzhou: '郑州',
  Jinan: '济南',
  Qingdao: '青岛',
  Shenyang: '沈阳',
  Dalian: '大连',
  Harbin: '哈尔滨',
  Changchun: '长春',
  Shijiazhuang: '石家庄',
  Taiyuan: '太原',
  Hefei: '合肥',
  Fuzhou: '福州',
  Xiamen: '厦门',
  Nanchang: '南昌',
  Kunming: '昆明',
  Guiyang: '贵阳',
  Nanning: '南宁',
  Haikou: '海口',
  Lanzhou: '兰州',
  Urumqi: '乌鲁木齐',
  Hohhot: '呼和浩特',
  Yinchuan: '银川',
  Xining: '西宁',
  Lhasa: '拉萨',
};

/** Hong Kong, Macao and Taiwan by their everyday names (the locale data's are long official ones). */
const SHORT_COUNTRY_NAMES: Record<string, [zh: string, en: string]> = {
  HK: ['香港', 'Hong Kong'],
  MO: ['澳门', 'Macao'],
  TW: ['台湾', 'Taiwan'],
};

const zhRegions = new Intl.DisplayNames(['zh-CN'], { type: 'region' });
const enRegions = new Intl.DisplayNames(['en'], { type: 'region' });

type GeoRecord = { country: string; region: string; city: string };
type Lookup = (ip: string) => GeoRecord | null;

/** What the database says about a public address, named for people. */
export function nameOf(record: GeoRecord | null): Place {
  if (!record?.country) return UNKNOWN_PLACE;
  if (record.country === 'CN') {
    const province = PROVINCES[record.region];
    if (!province) return { kind: 'china', zh: '中国', en: 'China' };
    const cityZh = MUNICIPALITIES.has(record.region) ? undefined : CITIES[record.city];
    return cityZh
      ? { kind: 'china', zh: `${province[0]} ${cityZh}`, en: `${record.city}, ${province[1]}` }
      : { kind: 'china', zh: province[0], en: province[1] };
  }
  const short = SHORT_COUNTRY_NAMES[record.country];
  if (short) return { kind: 'abroad', zh: short[0], en: short[1] };
  try {
    const zh = zhRegions.of(record.country);
    const en = enRegions.of(record.country);
    // DisplayNames echoes a code it does not know.
    if (!zh || !en || zh === record.country) return UNKNOWN_PLACE;
    return { kind: 'abroad', zh, en };
  } catch {
    return UNKNOWN_PLACE;
  }
}

/** The address without an IPv4-mapped prefix (`::ffff:1.2.3.4`), or null when it is no address at all. */
function plainAddress(ip: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const trimmed = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  const address = mapped?.[1] ?? trimmed;
  const version = isIP(address);
  if (version === 4) return { address, family: 'ipv4' };
  if (version === 6) return { address, family: 'ipv6' };
  return null;
}

/** The place of an address with a given lookup (tests pass their own; the server uses the database's). */
export function placeWith(lookup: Lookup, ip: string | null | undefined): Place {
  if (!ip) return UNKNOWN_PLACE;
  const plain = plainAddress(ip);
  if (!plain) return UNKNOWN_PLACE;
  if (privateRanges.check(plain.address, plain.family)) return PRIVATE;
  try {
    return nameOf(lookup(plain.address));
  } catch {
    return UNKNOWN_PLACE;
  }
}

let loading: Promise<Lookup> | undefined;

/** The shipped database, loaded once per process on first use (about a second and 150 MB). */
function databaseLookup(): Promise<Lookup> {
  // A CommonJS module: Node hands its exports over as the default export.
  loading ??= import('geoip-lite').then(
    ({ default: geoip }) =>
      (ip: string) =>
        geoip.lookup(ip),
  );
  return loading;
}

/** Whether an address needs the database at all (a private or malformed one names its place alone). */
function needsDatabase(ip: string | null | undefined): boolean {
  const plain = ip ? plainAddress(ip) : null;
  return plain !== null && !privateRanges.check(plain.address, plain.family);
}

/**
 * The places of some addresses, in order. The database is loaded only when one of them is public, so a
 * process that only ever sees loopback and private addresses (tests, a branch network) never loads it.
 */
export async function placesOf(ips: ReadonlyArray<string | null | undefined>): Promise<Place[]> {
  const lookup: Lookup = ips.some(needsDatabase) ? await databaseLookup() : () => null;
  return ips.map((ip) => placeWith(lookup, ip));
}

/** The place of one address. */
export async function placeOf(ip: string | null | undefined): Promise<Place> {
  const [place] = await placesOf([ip]);
  return place ?? UNKNOWN_PLACE;
}

/** The place in the language a request asked for (`Accept-Language`), for answers that carry one string. */
export function placeIn(place: Place, lang: Lang): string {
  return lang === 'en' ? place.en : place.zh;
}
