/**
 * Fetch wrapper for the Huitong HTTP API (`/api/v1`, see docs/api.md).
 * Cookies go same-origin; errors come back as RFC 9457 problem+json and are
 * turned into one `ApiError` type the pages can show.
 */

export const API_BASE = '/api/v1';

/** One field problem inside a problem+json answer (`errors[]`). `row` is set by the import. */
export type FieldProblem = {
  field: string;
  rule: string;
  message: string;
  row?: number;
};

/** The problem+json body the backend sends for every error. */
export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  errors?: FieldProblem[];
};

/** Every failed request ends up as an ApiError. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: FieldProblem[];

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}`);
    this.title = problem.title ?? '';
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** True when `err` is an ApiError with the given code. */
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

/** Builds `/api/v1<path>?…`, dropping empty values; arrays repeat the key. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) params.append(key, String(v));
    } else {
      params.set(key, String(value));
    }
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  formData?: FormData;
  signal?: AbortSignal;
  /** Do not send the browser to /login on 401 (login itself, the session probe). */
  noAuthRedirect?: boolean;
};

/** Sends the browser to the login page, remembering where it was. */
function redirectToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname.startsWith('/login')) return;
  const from = encodeURIComponent(`${pathname}${search}`);
  window.location.assign(`/login?from=${from}`);
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await res.json();
      if (body && typeof body === 'object') return body as Problem;
    } catch {
      /* fall through to a bare problem */
    }
  }
  return { status: res.status, title: res.statusText };
}

/** Performs one API call and returns the parsed JSON body (undefined for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.formData) {
    body = options.formData;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }

  let res: Response;
  try {
    res = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      credentials: 'same-origin',
      headers,
      body,
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { code: 'NETWORK_ERROR', title: 'Network error' });
  }

  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && !options.noAuthRedirect) redirectToLogin();
    throw new ApiError(res.status, problem);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await res.json()) as T;
}

/** Shorthands used by the domain hooks. */
export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: 'PATCH', body }),
  del: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
  upload: <T>(path: string, formData: FormData) => request<T>(path, { method: 'POST', formData }),
};

/** The list envelope every paged list answers with. */
export type Page<T> = { items: T[]; total: number };
/** The envelope of unpaged lists. */
export type ItemsOf<T> = { items: T[] };

/** Problems on a field path such as `items[2].length` → `['items', 2, 'length']`. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .replace(/^\/|^body[./]/, '')
    .split(/[.[\]/]+/)
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
