import { describe, expect, it } from 'vitest';
import { maskIdentifier } from '../../../platform/vault/index.js';
import { normaliseClaimDate } from './compare.js';
import { maskIdentifierRuns, maskValue, presentIdentifier, presentValue, valueKindOf } from './masking.js';

describe('partial masking by kind', () => {
  it('reads the kind from the item names and data type', () => {
    expect(valueKindOf({ name: '姓名', nameEn: 'name', dataType: 'C' })).toBe('person_name');
    expect(valueKindOf({ name: '配偶姓名', nameEn: 'spouse_name', dataType: 'C' })).toBe('person_name');
    expect(valueKindOf({ name: '发证机关名称', nameEn: 'issuing_authority_name', dataType: 'C' })).toBe('other');
    expect(valueKindOf({ name: '联系电话', nameEn: 'contact_phone', dataType: 'C' })).toBe('phone');
    expect(valueKindOf({ name: '户籍地址', nameEn: 'registered_address', dataType: 'C' })).toBe('address');
    expect(valueKindOf({ name: '认定日期', nameEn: 'approval_date', dataType: 'D' })).toBe('date');
    expect(valueKindOf({ name: '出生日期', nameEn: 'birth_date', dataType: 'C' })).toBe('date');
    expect(valueKindOf({ name: '登记时间', nameEn: 'registered_at', dataType: 'T' })).toBe('date_time');
    expect(valueKindOf({ name: '月保障金额', nameEn: 'monthly_allowance', dataType: 'Y' })).toBe('other');
  });

  it('masks names, phones, addresses, dates and everything else', () => {
    expect(maskValue('person_name', '张三丰')).toBe('张*丰');
    expect(maskValue('person_name', '李四')).toBe('李*');
    expect(maskValue('person_name', '欧阳修远')).toBe('欧**远');
    expect(maskValue('phone', '13812345678')).toBe('138****5678');
    expect(maskValue('phone', '0752-2206313')).toBe('075*****6313');
    expect(maskValue('address', '广东省惠州市惠城区江北街道1号')).toBe('广东省惠州市*********');
    expect(maskValue('date', '1985-07-21')).toBe('1985-**-**');
    expect(maskValue('date_time', '2026-11-23T02:00:00.000Z')).toBe('2026-**-**T**:**:**.***Z');
    expect(maskValue('other', '惠城低保2024-0001')).toBe(`惠${'*'.repeat(11)}1`);
    expect(maskValue('other', 2880)).toBe('2**0');
    expect(maskValue('other', 7)).toBe('*');
    expect(maskValue('other', true)).toBe('t**e');
    expect(maskValue('other', null)).toBeNull();
    expect(maskValue('other', '')).toBe('');
  });

  it('keeps a CJK character or an emoji whole', () => {
    expect(maskValue('person_name', '𠀋一二')).toBe('𠀋*二');
  });

  it('serves identifiers in full only with masking none', () => {
    const id = '440524188001010014';
    expect(presentIdentifier('citizen_id', id, 'none')).toBe(id);
    expect(presentIdentifier('citizen_id', id, 'partial')).toBe(maskIdentifier('citizen_id', id));
    expect(presentValue('other', 'x', 'none')).toBe('x');
    expect(presentValue('other', undefined, 'none')).toBeNull();
  });
});

describe('identifiers typed into free text', () => {
  it('are masked wherever they stand', () => {
    expect(maskIdentifierRuns('核验440524188001010014的低保')).toBe('核验4405**********0014的低保');
    expect(maskIdentifierRuns('单位 91441300MA4UXXXX0X 申请')).toBe('单位 9144**********XX0X 申请');
    expect(maskIdentifierRuns('办理医疗救助')).toBe('办理医疗救助');
  });
});

describe('claimed dates', () => {
  it('normalises the usual spellings and refuses impossible dates', () => {
    expect(normaliseClaimDate('2024/1/5')).toBe('2024-01-05');
    expect(normaliseClaimDate('20240105')).toBe('2024-01-05');
    expect(normaliseClaimDate('2024年1月5日')).toBe('2024-01-05');
    expect(normaliseClaimDate(' 2024-01-05 ')).toBe('2024-01-05');
    expect(normaliseClaimDate('2025-02-30')).toBeNull();
    expect(normaliseClaimDate('yesterday')).toBeNull();
  });
});
