import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { type Keyring, maskIdentifier, type SubjectKind, tokenForIdentifier } from '../../../platform/vault/index.js';
import { type RowError, type TRecordInput, type TSchemaItem, ZRecordInput } from '../collection.schema.js';
import { checkValue, identifierKindOf, isBlank, maskIdentifierShapes, secondaryIdentifierKindOf } from '../record-values.js';

/** The schema a batch is checked against. */
export type DatasetSchema = {
  items: TSchemaItem[];
  identifier: TSchemaItem | null;
  identifierKind: SubjectKind | null;
  /** Other items holding identifiers, by English name: tokenised like the key, never stored raw. */
  secondary: Map<string, SubjectKind>;
};

/** Reads the schema: its items, the identifier item (first with isIdentifier), its kind, and other identifier-holding items. */
export function schemaOf(items: TSchemaItem[]): DatasetSchema {
  const identifier = items.find((i) => i.isIdentifier) ?? null;
  const secondary = new Map<string, SubjectKind>();
  for (const i of items) {
    const kind = i === identifier ? null : secondaryIdentifierKindOf(i);
    if (kind) secondary.set(i.nameEn, kind);
  }
  return { items, identifier, identifierKind: identifier ? identifierKindOf(identifier) : null, secondary };
}

/** One checked row: its key when it could be read, what to store, and its errors (none when good). */
export type CheckedRow = {
  row: number;
  key: string | null;
  /** The identifiers as sent, with their kinds, for the vault; only on good rows, never stored elsewhere. */
  identifiers: { kind: SubjectKind; raw: string }[];
  /** The row's own identifier when it is valid, kept even when another field fails: a quarantined row's key. */
  keySubject: { kind: SubjectKind; raw: string } | null;
  deleted: boolean;
  raw: Record<string, unknown>;
  normalised: Record<string, unknown>;
  errors: RowError[];
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when some string or key in the value is not valid Unicode (a database cannot store it). */
function hasLoneSurrogate(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (LONE_SURROGATE.test(k)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** The subject token of an identifier; without a declared kind, a citizen ID is tried first, then a credit code. */
function identifierToken(keyring: Keyring, kind: SubjectKind | null, raw: string, today: string) {
  const kinds: SubjectKind[] = kind ? [kind] : ['citizen_id', 'uscc'];
  let first: { rule: string; message: string } | undefined;
  for (const k of kinds) {
    const r = tokenForIdentifier(keyring, k, raw, { today });
    if (r.ok) return { ok: true as const, token: r.token, kind: k };
    first ??= { rule: r.rule, message: r.message };
  }
  const f = first ?? { rule: 'identifier', message: 'invalid identifier 标识号码无效' };
  return kind ? { ok: false as const, ...f } : { ok: false as const, rule: f.rule, message: `neither a valid citizen ID number nor a valid credit code 既不是有效的公民身份号码也不是有效的统一社会信用代码 (${f.message})` };
}

/** Masks identifier-shaped text everywhere in a JSON value (keys and strings), without recursion. */
function maskShapes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' ? maskIdentifierShapes(v) : v));
}

/**
 * The row as quarantine may keep it: identifier items masked, and any other text shaped like
 * an identifier masked too (an unknown field may hold one); a placeholder when unreadable.
 */
export function maskedRow(row: unknown, schema: DatasetSchema): unknown {
  if (row === null || typeof row !== 'object' || Array.isArray(row) || hasLoneSurrogate(row)) return { unreadable: true };
  const r = row as Record<string, unknown>;
  const values = r.values;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return maskShapes(r);
  const masked: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  const kinds = new Map(schema.secondary);
  if (schema.identifier) kinds.set(schema.identifier.nameEn, schema.identifierKind ?? 'citizen_id');
  for (const [name, kind] of kinds) {
    const v = masked[name];
    if (v !== undefined && v !== null) masked[name] = typeof v === 'string' ? maskIdentifier(kind, v) : '***';
  }
  return maskShapes({ ...r, values: masked });
}

/** Checks one row of a batch against the schema. */
export function checkRow(opts: { schema: DatasetSchema; keyring: Keyring; now: Date; row: number; input: unknown }): CheckedRow {
  const { schema, keyring, row, input } = opts;
  const out: CheckedRow = { row, key: null, identifiers: [], keySubject: null, deleted: false, raw: {}, normalised: {}, errors: [] };
  const err = (field: string, rule: string, message: string) => out.errors.push({ row, field, rule, message });

  if (hasLoneSurrogate(input)) {
    err('(row)', 'invalid_unicode', 'text contains invalid Unicode (a lone surrogate) 含有无效的 Unicode 字符');
    return out;
  }
  const parsed = ZRecordInput.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = (issue as { keys?: string[] }).keys;
      if (issue.code === 'unrecognized_keys' && keys) for (const k of keys) err(k, 'unrecognized_keys', 'unknown field 未知字段');
      else err(issue.path.map(String).join('.') || '(row)', issue.code, issue.message);
    }
    return out;
  }
  const rec: TRecordInput = parsed.data;
  out.deleted = rec.deleted === true;
  const known = new Map(schema.items.map((i) => [i.nameEn, i]));
  if (!out.deleted) {
    for (const name of Object.keys(rec.values)) if (!known.has(name)) err(name, 'unknown_field', 'not a data item of this dataset 不是该数据集的信息项');
  }

  // The key: the identifier item's token, or the declared key.
  const raw: Record<string, unknown> = { ...rec.values };
  const normalised: Record<string, unknown> = {};
  if (schema.identifier) {
    const name = schema.identifier.nameEn;
    const value = rec.values[name];
    if (rec.key !== undefined) err('key', 'not_allowed', `records of this dataset are keyed by ${name}; leave key out 该数据集以标识项为主键，无需 key`);
    if (isBlank(value)) err(name, 'required', `${schema.identifier.name} (${name}) is required 必填`);
    else if (typeof value !== 'string') err(name, 'type', `${schema.identifier.name} (${name}) must be text 应为字符串`);
    else {
      const t = identifierToken(keyring, schema.identifierKind, value, todayInShanghai(opts.now));
      if (t.ok) {
        out.key = t.token;
        out.keySubject = { kind: t.kind, raw: value };
        out.identifiers.push(out.keySubject);
        raw[name] = t.token;
        normalised[name] = t.token;
      } else err(name, t.rule, `${schema.identifier.name} (${name}): ${t.message}`);
    }
  } else if (rec.key === undefined) err('key', 'required', 'each record needs its key 须提供记录主键 key');
  else out.key = rec.key;

  if (!out.deleted) {
    for (const item of schema.items) {
      if (item === schema.identifier) continue;
      const value = rec.values[item.nameEn];
      if (isBlank(value)) {
        if (item.required) err(item.nameEn, 'required', `${item.name} (${item.nameEn}) is required 必填`);
        continue;
      }
      const secondaryKind = schema.secondary.get(item.nameEn);
      if (secondaryKind) {
        // Another identifier (a spouse's ID number): kept as its token, the number goes to the vault.
        if (typeof value !== 'string') err(item.nameEn, 'type', `${item.name} (${item.nameEn}) must be text 应为字符串`);
        else {
          const t = identifierToken(keyring, secondaryKind, value, todayInShanghai(opts.now));
          if (t.ok) {
            out.identifiers.push({ kind: t.kind, raw: value });
            raw[item.nameEn] = t.token;
            normalised[item.nameEn] = t.token;
          } else err(item.nameEn, t.rule, `${item.name} (${item.nameEn}): ${t.message}`);
        }
        continue;
      }
      const r = checkValue(item, value);
      if (r.ok) normalised[item.nameEn] = r.normalised;
      else err(item.nameEn, r.rule, r.message);
    }
  }
  out.raw = out.deleted ? (schema.identifier ? { [schema.identifier.nameEn]: out.key } : {}) : raw;
  out.normalised = out.deleted ? {} : normalised;
  if (out.errors.length) out.identifiers = [];
  return out;
}

/** Marks the second and later rows with a key already used in the batch. */
export function markDuplicateKeys(rows: CheckedRow[], schema: DatasetSchema): void {
  const firstRow = new Map<string, number>();
  const field = schema.identifier?.nameEn ?? 'key';
  for (const r of rows) {
    if (r.key === null) continue;
    const first = firstRow.get(r.key);
    if (first === undefined) firstRow.set(r.key, r.row);
    else {
      r.errors.push({ row: r.row, field, rule: 'duplicate_key', message: `same record key as row ${first} 与第 ${first} 行主键重复` });
      r.identifiers = [];
    }
  }
}
