import { type ErrorSpec, errorFactory } from '../errors.js';

/** Error codes of the identity vault; none of their messages ever carries an identifier. */
export const VAULT_ERRORS = {
  /** No subject has this token. */
  VAULT_SUBJECT_NOT_FOUND: { status: 404, title: 'Subject not found 主体不存在' },
  /** The subject is encrypted under a key the keyring lacks (keys not deployed, or removed too early). */
  VAULT_KEY_MISSING: { status: 500, title: 'Vault key missing 缺少加密密钥' },
  /** The stored ciphertext failed authentication or does not belong to its token (tampered or moved). */
  VAULT_INTEGRITY: { status: 500, title: 'Vault integrity failure 加密数据完整性校验失败' },
} as const satisfies Record<string, ErrorSpec>;

export type VaultErrorCode = keyof typeof VAULT_ERRORS;

export const vaultError = errorFactory(VAULT_ERRORS);
