/**
 * Banks a customer can pay to. Codes are the three-digit bank-type codes of China's payment system
 * (CNAPS). Jinku's own code is configurable in a real deployment; the demo bank uses 888.
 */
export const OWN_BANK_CODE = '888';

export const BANKS: ReadonlyArray<{ code: string; zh: string; en: string }> = [
  { code: OWN_BANK_CODE, zh: '金库银行', en: 'Jinku Bank' },
  { code: '102', zh: '中国工商银行', en: 'Industrial and Commercial Bank of China' },
  { code: '103', zh: '中国农业银行', en: 'Agricultural Bank of China' },
  { code: '104', zh: '中国银行', en: 'Bank of China' },
  { code: '105', zh: '中国建设银行', en: 'China Construction Bank' },
  { code: '301', zh: '交通银行', en: 'Bank of Communications' },
  { code: '308', zh: '招商银行', en: 'China Merchants Bank' },
  { code: '403', zh: '中国邮政储蓄银行', en: 'Postal Savings Bank of China' },
];

export function bankName(code: string, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const bank = BANKS.find((b) => b.code === code);
  if (!bank) return code;
  return lang === 'en' ? bank.en : bank.zh;
}

export function isKnownBank(code: string): boolean {
  return BANKS.some((b) => b.code === code);
}
