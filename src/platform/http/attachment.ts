/**
 * A Content-Disposition value that downloads as `filename`: an ASCII fallback for old clients and
 * the UTF-8 name (RFC 6266 / 5987), so Chinese file names arrive intact.
 */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
