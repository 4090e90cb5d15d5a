/**
 * JSON Canonicalization Scheme (RFC 8785, JCS).
 *
 * The audit chain hashes SM3(prev_hash || canonicalJson(entry)); two processes (or a verifier
 * years later) must produce the same bytes for the same entry, so anything that JSON.stringify
 * would silently change or drop (NaN → null, functions, Map → {}, cycles) throws instead.
 *
 * Relies on ECMAScript's JSON.stringify for primitives, which RFC 8785 adopts verbatim:
 * strings get its escaping, numbers get Number.prototype.toString (-0 → 0, 1e+30, …).
 */

/** A lone UTF-16 surrogate: RFC 8785 §3.2.2.2 requires such strings to fail. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(s: string): string {
  if (LONE_SURROGATE.test(s)) {
    throw new TypeError('canonicalJson: string contains a lone surrogate (not valid Unicode)');
  }
  return JSON.stringify(s);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function serialize(value: unknown, stack: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new TypeError(`canonicalJson: ${value} has no JSON representation`);
      }
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      // Silently converting would lose precision or change the type a verifier sees.
      throw new TypeError('canonicalJson: bigint is not supported; convert it to a string first');
    case 'undefined':
      throw new TypeError('canonicalJson: undefined has no JSON representation here');
    case 'function':
    case 'symbol':
      throw new TypeError(`canonicalJson: a ${typeof value} cannot be serialized`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value as object;

  if (obj instanceof Date) {
    if (Number.isNaN(obj.getTime())) throw new TypeError('canonicalJson: invalid Date');
    return serializeString(obj.toISOString());
  }

  if (stack.has(obj)) throw new TypeError('canonicalJson: cyclic structure');
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      // Array holes and undefined elements throw (via serialize) rather than becoming null.
      const parts: string[] = [];
      for (let i = 0; i < obj.length; i++) parts.push(serialize(obj[i], stack));
      return `[${parts.join(',')}]`;
    }
    if (!isPlainObject(obj)) {
      const toJSON = (obj as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        return serialize(toJSON.call(obj), stack);
      }
      // Map, Set, class instances, Buffers without toJSON…: JSON.stringify would emit {} and lose data.
      throw new TypeError(
        `canonicalJson: cannot serialize a ${obj.constructor?.name ?? 'non-plain'} object; convert it to plain data first`,
      );
    }
    const record = obj as Record<string, unknown>;
    // Default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 prescribes.
    const keys = Object.keys(record).sort();
    const parts: string[] = [];
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue; // undefined members are absent, as in JSON.stringify
      parts.push(`${serializeString(key)}:${serialize(member, stack)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}

/** RFC 8785 canonical JSON text, so equal data always hashes and signs to equal bytes. */
export function canonicalJson(value: unknown): string {
  return serialize(value, new Set());
}
