import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy, policyFieldPaths } from './policy.js';

const presets = fs
  .readdirSync(path.resolve('policies'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('policy presets', () => {
  it('has the five cities and the national preset', () => {
    expect(presets.sort()).toEqual(['changsha', 'daqing', 'guangzhou', 'huizhou', 'national', 'wuhu']);
  });

  it.each(presets)('%s parses and sets every number, including the verification answer days', (id) => {
    const p = loadPolicy(id);
    expect(p.id).toBe(id);
    expect(p.verificationAnswerDays).toBeGreaterThanOrEqual(1);
  });

  it.each(presets)('%s cites a source for every number and choice, and nothing else', (id) => {
    const p = loadPolicy(id);
    const fields = policyFieldPaths(p);
    expect(fields).toContain('shareRequest.answerDays');
    expect(fields).toContain('unconditionalGrant');
    for (const f of fields) expect(p.sources[f], `${id}: source of ${f}`).toMatch(/\d{3}(-\w+)? §\d+/);
    expect(Object.keys(p.sources).sort()).toEqual([...fields].sort());
  });

  it('huizhou: 10+5 for catalog data, 5 for conditional, 5 after a ruling (002 §44, §45); 3/3/3 for disputes (002 §56)', () => {
    const p = loadPolicy('huizhou');
    expect(p.shareRequest).toEqual({ answerDays: 10, provideDays: 5, conditionalAnswerDays: 5, rulingProvideDays: 5 });
    expect(p.dataDispute).toEqual({ checkDays: 3, technicalCorrectDays: 3, departmentCorrectDays: 3 });
    expect(p.unconditionalGrant).toBe('acknowledge');
    expect(p.sources['shareRequest.answerDays']).toBe('002 §44');
    expect(p.sources['shareRequest.conditionalAnswerDays']).toBe('002 §45');
    expect(p.sources['dataDispute.checkDays']).toBe('002 §56');
    expect(p.sources['publicObjection.markDays']).toMatch(/^default: 001-data §33/);
  });

  it('guangzhou: 10+5 and 5 after a ruling (004 §35); 3/3/3 for disputes (004 §44); contacts 5 (004 §34)', () => {
    const p = loadPolicy('guangzhou');
    expect(p.shareRequest).toMatchObject({ answerDays: 10, provideDays: 5, rulingProvideDays: 5 });
    expect(p.dataDispute).toEqual({ checkDays: 3, technicalCorrectDays: 3, departmentCorrectDays: 3 });
    expect(p.contactReportDays).toBe(5);
    expect(p.sources['shareRequest.answerDays']).toBe('004 §35');
    expect(p.sources['dataDispute.checkDays']).toBe('004 §44');
    expect(p.sources.contactReportDays).toBe('004 §34');
    expect(p.sources['shareRequest.conditionalAnswerDays']).toMatch(/^default: 002 §45/);
  });

  it('daqing: the public objection 1/2/5 (001-data §33) and automatic grant of unconditional data (001-data §22)', () => {
    const p = loadPolicy('daqing');
    expect(p.publicObjection).toEqual({ markDays: 1, decideOrTransferDays: 2, departmentVerifyDays: 5 });
    expect(p.unconditionalGrant).toBe('automatic');
    expect(p.sources['publicObjection.departmentVerifyDays']).toBe('001-data §33');
    expect(p.sources.unconditionalGrant).toBe('001-data §22');
    expect(p.sources['shareRequest.answerDays']).toMatch(/^default: 002 §44/);
  });

  it('wuhu: unconditional data is usable without conditions (000-exchange §5); request deadlines default to 002', () => {
    const p = loadPolicy('wuhu');
    expect(p.unconditionalGrant).toBe('automatic');
    expect(p.sources.unconditionalGrant).toMatch(/^000-exchange §5/);
    expect(p.shareRequest.answerDays).toBe(10);
    expect(p.sources['shareRequest.answerDays']).toBe('default: 002 §44 (not regulated in 000)');
  });

  it('changsha (credit measures only) takes every sharing number from the defaults and says so', () => {
    const p = loadPolicy('changsha');
    for (const f of policyFieldPaths(p)) expect(p.sources[f]).toMatch(/^default: .* \(not regulated in 003\)$/);
  });
});
