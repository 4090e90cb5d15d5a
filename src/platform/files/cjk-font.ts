/// <reference types="pdfkit" />
import fs from 'node:fs';

/**
 * The CJK font that PDF documents embed so Chinese renders on any reader. pdfkit ships only the
 * Latin standard fonts, so a font file must be on the machine: Debian's `fonts-noto-cjk` or
 * `fonts-wqy-*`, or any .ttf / .otf / .ttc named by `HUITONG_CJK_FONT`.
 */

/** A font file and, for a collection (.ttc), the PostScript name of the face inside it. */
export type CjkFont = { path: string; postscriptName: string | null };

/** Where Debian's CJK font packages put their files, most preferred first. */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscriptName: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei' },
];

const INSTALL_HINT = 'Install Debian’s fonts-noto-cjk (or fonts-wqy-microhei), or set HUITONG_CJK_FONT to a .ttf/.otf file or to path.ttc#PostScriptName. 请安装 fonts-noto-cjk（或 fonts-wqy-microhei），或以 HUITONG_CJK_FONT 指定字体文件。';

/** No usable CJK font: none installed, or the configured one is missing or unreadable. The message says what to do. */
export class CjkFontMissingError extends Error {
  constructor(problem: string) {
    super(`${problem} ${INSTALL_HINT}`);
    this.name = 'CjkFontMissingError';
  }
}

/** Reads `HUITONG_CJK_FONT`: a file path, with `#PostScriptName` after it for a collection. */
export function parseFontSetting(setting: string): CjkFont {
  const hash = setting.lastIndexOf('#');
  if (hash > 0 && hash < setting.length - 1) return { path: setting.slice(0, hash), postscriptName: setting.slice(hash + 1) };
  return { path: setting, postscriptName: null };
}

/**
 * The font to embed: the configured one (which must exist; no silent fallback), else the first
 * installed Debian candidate. Throws CjkFontMissingError with an install hint when there is none.
 */
export function resolveCjkFont(setting: string | undefined, candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES, exists: (p: string) => boolean = fs.existsSync): CjkFont {
  if (setting) {
    const font = parseFontSetting(setting);
    if (!exists(font.path)) throw new CjkFontMissingError(`HUITONG_CJK_FONT names a file that does not exist: ${font.path}. 配置的字体文件不存在。`);
    if (/\.ttc$/i.test(font.path) && !font.postscriptName) {
      throw new CjkFontMissingError(`HUITONG_CJK_FONT names a font collection: add the face as ${font.path}#PostScriptName. 字体集合需指明字体名。`);
    }
    return font;
  }
  const found = candidates.find((c) => exists(c.path));
  if (!found) throw new CjkFontMissingError(`No CJK font is installed (looked for ${candidates.map((c) => c.path).join(', ')}). 未找到中文字体。`);
  return found;
}

/** Makes the CJK font the document's current font; a file pdfkit cannot read is a CjkFontMissingError. */
export function applyCjkFont(doc: PDFKit.PDFDocument, font: CjkFont): void {
  try {
    if (font.postscriptName) doc.registerFont('cjk', font.path, font.postscriptName);
    else doc.registerFont('cjk', font.path);
    doc.font('cjk');
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new CjkFontMissingError(`The font ${font.path}${font.postscriptName ? `#${font.postscriptName}` : ''} cannot be used (${why}). 字体文件无法使用。`);
  }
}
