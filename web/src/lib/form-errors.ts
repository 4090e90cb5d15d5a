import type { FormInstance } from 'antd';
import { ApiError, fieldPath } from '../api/client';

type NamePath = (string | number)[];

/**
 * Puts the server's field problems (problem+json `errors[]`) on the form fields they name, so
 * each shows under its input; `toField` maps a problem's path to a form field, or null to skip
 * it (the banner lists every problem anyway). Returns whether any field was marked.
 */
export function showFieldErrors(form: FormInstance, err: unknown, toField: (path: NamePath) => NamePath | null = (p) => p): boolean {
  if (!(err instanceof ApiError) || err.errors.length === 0) return false;
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  for (const problem of err.errors) {
    const name = toField(fieldPath(problem.field));
    if (!name || name.length === 0) continue;
    const key = JSON.stringify(name);
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(problem.message);
    byField.set(key, entry);
  }
  if (byField.size === 0) return false;
  form.setFields([...byField.values()]);
  return true;
}
