// Amounts are held as integer fen (分) so that no float ever rounds a fine.
import { AppError } from './errors';

/** Parses '50000', '12345.67', '1,000.5' into fen; refuses negatives and more than two decimals. */
export function parseYuan(input: string | number): number {
  const s = String(input).replace(/,/g, '').trim();
  if (!/^\d{1,13}(\.\d{1,2})?$/.test(s)) {
    throw new AppError('VALIDATION', `金额“${String(input)}”格式不正确，应为不超过两位小数的非负数（单位：元）。`);
  }
  const [yuan, frac = ''] = s.split('.');
  return Number(yuan) * 100 + Number((frac + '00').slice(0, 2));
}

export function formatYuan(fen: number): string {
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  const grouped = yuan.toLocaleString('en-US');
  return rest === 0 ? `${grouped}元` : `${grouped}.${String(rest).padStart(2, '0')}元`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** 4-digit group to capitals, e.g. 2345 -> 贰仟叁佰肆拾伍, 0105 -> 零壹佰零伍 (zeros collapsed later). */
function groupToCapital(group: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(group / 10 ** i) % 10;
    if (d === 0) {
      zero = out !== '' || zero;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d] + SMALL_UNITS[i];
  }
  return out;
}

/** Chinese financial capitals as written on decisions: 50000 -> 伍万元整, 12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分. */
export function yuanInCapitals(fen: number): string {
  if (!Number.isInteger(fen) || fen < 0) throw new AppError('VALIDATION', '金额必须为非负数。');
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let intPart = '';
  if (yuan === 0) {
    intPart = '';
  } else {
    const groups: number[] = [];
    for (let n = yuan; n > 0; n = Math.floor(n / 10000)) groups.push(n % 10000);
    let needZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const group = groups[g];
      if (group === 0) {
        needZero = intPart !== '';
        continue;
      }
      if (intPart !== '' && (needZero || group < 1000)) intPart += '零';
      needZero = false;
      intPart += groupToCapital(group).replace(/^零+/, '') + BIG_UNITS[g];
    }
  }
  if (jiao === 0 && fenDigit === 0) return yuan === 0 ? '零元整' : `${intPart}元整`;
  let out = yuan === 0 ? '' : `${intPart}元`;
  if (jiao > 0) out += `${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  else out += '整';
  return out;
}
