import { describe, expect, it } from 'vitest';
import type { TSchemaItem } from './collection.schema.js';
import { checkValue, identifierKindOf, maskIdentifierShapes, normaliseDate, normaliseDateTime, parseCodeList, secondaryIdentifierKindOf } from './record-values.js';

const item = (over: Partial<TSchemaItem>): TSchemaItem => ({ name: '项', nameEn: 'x', dataType: 'C', length: null, codeList: null, required: false, isIdentifier: false, ...over });

describe('identifier kind', () => {
  it('reads the kind from the item names', () => {
    expect(identifierKindOf({ name: '公民身份号码', nameEn: 'idNo' })).toBe('citizen_id');
    expect(identifierKindOf({ name: '证件号', nameEn: 'citizen_id' })).toBe('citizen_id');
    expect(identifierKindOf({ name: '统一社会信用代码', nameEn: 'code' })).toBe('uscc');
    expect(identifierKindOf({ name: '机构代码', nameEn: 'credit_code' })).toBe('uscc');
    expect(identifierKindOf({ name: '注册号', nameEn: 'regNo' })).toBe('registration_no');
    expect(identifierKindOf({ name: '主体标识', nameEn: 'subject' })).toBeNull();
  });
});

describe('identifiers outside the key', () => {
  it('recognises items holding identifiers but not document types', () => {
    expect(secondaryIdentifierKindOf({ name: '配偶身份证号', nameEn: 'spouseId', dataType: 'C' })).toBe('citizen_id');
    expect(secondaryIdentifierKindOf({ name: '母公司统一社会信用代码', nameEn: 'parent', dataType: 'C' })).toBe('uscc');
    expect(secondaryIdentifierKindOf({ name: '身份证件类型', nameEn: 'idType', dataType: 'C' })).toBeNull();
    expect(secondaryIdentifierKindOf({ name: '姓名', nameEn: 'name', dataType: 'C' })).toBeNull();
  });
  it('masks text shaped like an identifier', () => {
    expect(maskIdentifierShapes('号码 44052418800101001X 结束')).toBe('号码 4405**********001X 结束');
    expect(maskIdentifierShapes('91350100M000100Y43')).toBe('9135**********0Y43');
    expect(maskIdentifierShapes('普通文字 123')).toBe('普通文字 123');
  });
});

describe('code lists', () => {
  it('reads inline lists and ignores names of standards', () => {
    expect(parseCodeList('正常/注销')).toEqual(['正常', '注销']);
    expect(parseCodeList('A、B、C')).toEqual(['A', 'B', 'C']);
    expect(parseCodeList('GB/T 2261.1 性别代码')).toBeNull();
    expect(parseCodeList('GB/T2261.1')).toBeNull();
    expect(parseCodeList('单值')).toBeNull();
    expect(parseCodeList(null)).toBeNull();
  });
});

describe('dates', () => {
  it('accepts three spellings of a real date and gives ISO', () => {
    expect(normaliseDate('2024-02-29')).toBe('2024-02-29');
    expect(normaliseDate('2024/02/29')).toBe('2024-02-29');
    expect(normaliseDate('20240229')).toBe('2024-02-29');
    expect(normaliseDate('2023-02-29')).toBeNull();
    expect(normaliseDate('2023-13-01')).toBeNull();
    expect(normaliseDate('29.02.2024')).toBeNull();
  });
  it('reads a date-time without offset as Beijing time', () => {
    expect(normaliseDateTime('2026-01-02T08:00:00')).toBe('2026-01-02T00:00:00.000Z');
    expect(normaliseDateTime('2026-01-02 08:00')).toBe('2026-01-02T00:00:00.000Z');
    expect(normaliseDateTime('2026-01-02T08:00:00Z')).toBe('2026-01-02T08:00:00.000Z');
    expect(normaliseDateTime('2026-01-02T08:00:00+0000')).toBe('2026-01-02T08:00:00.000Z');
    expect(normaliseDateTime('2026-02-30T08:00:00')).toBeNull();
    expect(normaliseDateTime('2026-01-02T25:00:00')).toBeNull();
  });
});

describe('values by data type', () => {
  it('trims text and counts characters, not bytes', () => {
    expect(checkValue(item({ length: 2 }), ' 张三 ')).toEqual({ ok: true, normalised: '张三' });
    expect(checkValue(item({ length: 2 }), '张三丰')).toMatchObject({ ok: false, rule: 'length' });
    expect(checkValue(item({}), 5)).toMatchObject({ ok: false, rule: 'type' });
  });
  it('accepts numbers and numeric text, limiting digits of N, Y and I', () => {
    expect(checkValue(item({ dataType: 'N', length: 4 }), '12.34')).toEqual({ ok: true, normalised: 12.34 });
    expect(checkValue(item({ dataType: 'N', length: 3 }), 12.34)).toMatchObject({ ok: false, rule: 'length' });
    expect(checkValue(item({ dataType: 'I', length: 3 }), '007')).toEqual({ ok: true, normalised: 7 });
    expect(checkValue(item({ dataType: 'I', length: 3 }), 1.5)).toMatchObject({ ok: false, rule: 'type' });
    expect(checkValue(item({ dataType: 'F' }), '1e5')).toMatchObject({ ok: false, rule: 'type' });
    expect(checkValue(item({ dataType: 'B' }), -0.5)).toEqual({ ok: true, normalised: -0.5 });
  });
  it('reads logical values in Chinese and English', () => {
    for (const v of [true, 'true', '1', 1, '是']) expect(checkValue(item({ dataType: 'L' }), v)).toEqual({ ok: true, normalised: true });
    for (const v of [false, 'false', '0', 0, '否']) expect(checkValue(item({ dataType: 'L' }), v)).toEqual({ ok: true, normalised: false });
    expect(checkValue(item({ dataType: 'L' }), '对')).toMatchObject({ ok: false, rule: 'type' });
  });
  it('restricts values to an inline code list', () => {
    expect(checkValue(item({ codeList: '正常/注销' }), '正常')).toMatchObject({ ok: true });
    expect(checkValue(item({ codeList: '正常/注销' }), '吊销')).toMatchObject({ ok: false, rule: 'code_list' });
    expect(checkValue(item({ codeList: 'GB/T 2261.1 性别代码' }), '9')).toMatchObject({ ok: true });
  });
});
