// One import path for identifier validation, so callers never reach into individual files.
export {
  validateUscc,
  usccCheckChar,
  maskUscc,
  type UsccRule,
  type UsccLegacyPolicy,
  type UsccResult,
} from './uscc.js';
export {
  validateCitizenId,
  citizenIdCheckChar,
  maskCitizenId,
  type CitizenIdRule,
  type CitizenIdResult,
} from './citizen-id.js';
