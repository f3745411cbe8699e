/** The kinds of bill the bank collects (API.md, "Bill payment"). */
export type BillCategory = 'electricity' | 'water' | 'gas' | 'mobile' | 'broadband' | 'tuition';

export const BILL_CATEGORIES: readonly BillCategory[] = [
  'electricity',
  'water',
  'gas',
  'mobile',
  'broadband',
  'tuition',
];

/** A category's name in both languages, for receipts, memos and SMS texts. */
export const CATEGORY_NAMES: Readonly<Record<BillCategory, { zh: string; en: string }>> = {
  electricity: { zh: '电费', en: 'Electricity' },
  water: { zh: '水费', en: 'Water' },
  gas: { zh: '燃气费', en: 'Gas' },
  mobile: { zh: '话费充值', en: 'Mobile top-up' },
  broadband: { zh: '宽带费', en: 'Broadband' },
  tuition: { zh: '学费', en: 'Tuition' },
};

/**
 * A biller as seeded by migration 0901: its id is a stable readable code integrators may keep, and
 * its bill accounts follow the pattern its customers find on their bills.
 */
export type SeedBiller = {
  id: string;
  category: BillCategory;
  nameZh: string;
  nameEn: string;
  regionZh: string;
  regionEn: string;
  accountPattern: string;
};

/** The catalogue as first seeded; the table is the record afterwards (a biller can be added or stopped). */
export const SEED_BILLERS: readonly SeedBiller[] = [
  {
    id: 'sgcc-beijing',
    category: 'electricity',
    nameZh: '国网北京市电力公司',
    nameEn: 'State Grid Beijing Electric Power',
    regionZh: '北京',
    regionEn: 'Beijing',
    accountPattern: '^\\d{10}$',
  },
  {
    id: 'sgcc-shanghai',
    category: 'electricity',
    nameZh: '国网上海市电力公司',
    nameEn: 'State Grid Shanghai Electric Power',
    regionZh: '上海',
    regionEn: 'Shanghai',
    accountPattern: '^\\d{10}$',
  },
  {
    id: 'beijing-water',
    category: 'water',
    nameZh: '北京市自来水集团',
    nameEn: 'Beijing Waterworks Group',
    regionZh: '北京',
    regionEn: 'Beijing',
    accountPattern: '^\\d{8,10}$',
  },
  {
    id: 'beijing-gas',
    category: 'gas',
    nameZh: '北京燃气集团',
    nameEn: 'Beijing Gas Group',
    regionZh: '北京',
    regionEn: 'Beijing',
    accountPattern: '^\\d{8,12}$',
  },
  {
    id: 'china-mobile',
    category: 'mobile',
    nameZh: '中国移动',
    nameEn: 'China Mobile',
    regionZh: '全国',
    regionEn: 'Nationwide',
    accountPattern: '^1[3-9]\\d{9}$',
  },
  {
    id: 'china-unicom',
    category: 'mobile',
    nameZh: '中国联通',
    nameEn: 'China Unicom',
    regionZh: '全国',
    regionEn: 'Nationwide',
    accountPattern: '^1[3-9]\\d{9}$',
  },
  {
    id: 'china-telecom-broadband',
    category: 'broadband',
    nameZh: '中国电信宽带',
    nameEn: 'China Telecom Broadband',
    regionZh: '北京',
    regionEn: 'Beijing',
    accountPattern: '^[A-Za-z0-9]{6,20}$',
  },
  {
    id: 'jinku-university',
    category: 'tuition',
    nameZh: '金库示范大学',
    nameEn: 'Jinku Demo University',
    regionZh: '北京',
    regionEn: 'Beijing',
    accountPattern: '^\\d{6,12}$',
  },
];

/** The amounts the top-up page offers (yuan); the customer may also type one between the bounds. */
export const TOP_UP_CHOICES_FEN: readonly number[] = [3_000, 5_000, 10_000, 20_000];
export const TOP_UP_MIN_FEN = 1_000;
export const TOP_UP_MAX_FEN = 50_000;
