import { describe, expect, it } from 'vitest';
import { CjkFontMissingError, parseFontSetting, resolveCjkFont } from './cjk-font.js';

const candidates = [
  { path: '/fonts/a.ttc', postscriptName: 'A-Regular' },
  { path: '/fonts/b.ttf', postscriptName: null },
];
const only = (...paths: string[]) => (p: string) => paths.includes(p);

describe('CJK font for PDF documents', () => {
  it('takes the first installed candidate', () => {
    expect(resolveCjkFont(undefined, candidates, only('/fonts/a.ttc', '/fonts/b.ttf'))).toEqual(candidates[0]);
    expect(resolveCjkFont(undefined, candidates, only('/fonts/b.ttf'))).toEqual(candidates[1]);
  });

  it('fails with an install hint when no font is installed', () => {
    expect(() => resolveCjkFont(undefined, candidates, only())).toThrow(CjkFontMissingError);
    expect(() => resolveCjkFont(undefined, candidates, only())).toThrow(/fonts-noto-cjk.*HUITONG_CJK_FONT/);
  });

  it('uses the configured font, never falling back when it is missing', () => {
    expect(resolveCjkFont('/x/f.otf', candidates, only('/x/f.otf', '/fonts/a.ttc'))).toEqual({ path: '/x/f.otf', postscriptName: null });
    expect(resolveCjkFont('/x/c.ttc#X-Regular', candidates, only('/x/c.ttc'))).toEqual({ path: '/x/c.ttc', postscriptName: 'X-Regular' });
    expect(() => resolveCjkFont('/x/missing.ttf', candidates, only('/fonts/a.ttc'))).toThrow(/does not exist: \/x\/missing\.ttf/);
    expect(() => resolveCjkFont('/x/c.ttc', candidates, only('/x/c.ttc'))).toThrow(/PostScriptName/);
  });

  it('reads a collection face after #', () => {
    expect(parseFontSetting('/a/b.ttc#Name')).toEqual({ path: '/a/b.ttc', postscriptName: 'Name' });
    expect(parseFontSetting('/a/b.ttf')).toEqual({ path: '/a/b.ttf', postscriptName: null });
    expect(parseFontSetting('/a/b.ttc#')).toEqual({ path: '/a/b.ttc#', postscriptName: null });
  });
});
