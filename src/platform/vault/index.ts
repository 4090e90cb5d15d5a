// The identity vault: one import path for the domains that store or look up subjects.
export {
  activeKey,
  describeSource,
  encodeKeyringForConfig,
  type EncryptionKey,
  generateKeyring,
  type Keyring,
  KeyringError,
  type KeySource,
  keyFilePath,
  loadKeyring,
  parseConfiguredKeyring,
  readKeyFile,
  serializeKeyring,
  VAULT_ALGORITHMS,
  type VaultAlgorithm,
  writeKeyFile,
  writeSecretFile,
} from './keyring.js';
export {
  countSubjectsByKey,
  pendingKeys,
  reencryptSubjects,
  ROTATION_BATCH_SIZE,
  type RotationProgress,
  type RotationReport,
  rotateVaultKey,
} from './rotate.js';
export { VAULT_ERRORS, type VaultErrorCode, vaultError } from './vault.errors.js';
export {
  hasSubject,
  maskIdentifier,
  type NormaliseOptions,
  type NormaliseResult,
  normaliseIdentifier,
  openVault,
  revealSubject,
  SUBJECT_KINDS,
  type SubjectKind,
  storeSubject,
  subjectToken,
  tokenForIdentifier,
} from './vault.js';
