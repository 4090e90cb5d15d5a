import { describe, expect, it } from 'vitest';
import { apiUrl, fieldPath } from './client';

describe('fieldPath', () => {
  it('splits a data-item path into form name parts', () => {
    expect(fieldPath('items[2].length')).toEqual(['items', 2, 'length']);
  });

  it('accepts dotted, slashed and body-prefixed paths', () => {
    expect(fieldPath('items.0.name')).toEqual(['items', 0, 'name']);
    expect(fieldPath('/items/1/dataType')).toEqual(['items', 1, 'dataType']);
    expect(fieldPath('body.shareConditions')).toEqual(['shareConditions']);
  });
});

describe('apiUrl', () => {
  it('drops empty filters and keeps the rest', () => {
    expect(apiUrl('/catalog/search', { q: '户籍', shareType: undefined, departmentId: '', page: 1 })).toBe(
      '/api/v1/catalog/search?q=%E6%88%B7%E7%B1%8D&page=1',
    );
  });
});
