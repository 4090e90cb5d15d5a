/*
 * Formula injection (OWASP "CSV injection"): a cell starting with = + - @ (or a tab / CR, which
 * some spreadsheets skip before looking) runs as a formula when an export is opened. Every
 * export of text that people typed goes through escapeCell (xlsx) or csvEscapeCell (CSV).
 */

/**
 * Neutralises formula injection: a leading quote makes the cell plain text wherever the value
 * is pasted or re-saved. Quotes already in front of such a start get one more, so unescapeCell
 * gives back exactly what was exported.
 */
export function escapeCell(s: string): string {
  return /^'*[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Reverses escapeCell on import. */
export function unescapeCell(s: string): string {
  return /^'+[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

/** One CSV field for an export: formula-escaped, then quoted per RFC 4180 when it holds , " CR or LF. */
export function csvEscapeCell(s: string): string {
  const escaped = escapeCell(s);
  return /[",\r\n]/.test(escaped) ? `"${escaped.replace(/"/g, '""')}"` : escaped;
}
