/** What other domains may use of security media. */
export { mediaErrors } from './errors.ts';
export { purgeOldSmsCodes } from './housekeeping.ts';
export { registerMediaRoutes } from './routes.ts';
export { mediaList } from './service.ts';
export {
  type CounterIssuable,
  type IssueOutcome,
  issueAtCounter,
  mediumOf,
  passwordCardForPrint,
  revokeAtCounter,
  unlockAtCounter,
} from './counter.ts';
export type { MediumRow } from './store.ts';
export { mediaMigrations } from './migrations.ts';
export {
  type IssuedSmsOtp,
  type IssueSmsOtp,
  issueSmsOtp,
  type OtpCheck,
  otpError,
  SMS_OTP_TRIES,
  SMS_OTP_TTL_SECONDS,
  SMS_RESEND_SECONDS,
  type VerifySmsOtp,
  verifySmsOtp,
} from './sms-otp.ts';
export type { MediaTables } from './store.ts';
export { type MediumKind, strongestTier, type Tier, tierOf } from './tiers.ts';
export {
  eTokenAnswer,
  issueEToken,
  issuePasswordCard,
  passwordCardDigits,
  registerSmsMedium,
} from './register.ts';
export {
  type AuthMethod,
  type AuthorizationAnswer,
  type AuthorizationCheck,
  type AuthorizationRequest,
  type AuthorizationView,
  CHALLENGE_TTL_SECONDS,
  type ChallengeView,
  MEDIUM_MAX_WRONG,
  METHODS_BY_FRICTION,
  refusal,
  requestAuthorization,
  TIER_OF_METHOD,
  usableMethods,
  verifyAuthorization,
} from './authorization.ts';
export { finishUShieldRegistration, issueUShield, startUShieldRegistration } from './u-shield.ts';
export {
  deletePasskey,
  deletePasskeysOfDevice,
  finishPasskeyRegistration,
  listPasskeys,
  passkeyLoginOptions,
  startPasskeyRegistration,
  verifyPasskeyLogin,
} from './passkeys.ts';
export {
  E_TOKEN_SUITE,
  eTokenChallenge,
  type OcraSuite,
  type OcraTimeCheck,
  ocraResponse,
  ocraSuite,
  ocraTimeStep,
  parseOcraSuite,
  verifyOcraTimeWindow,
} from './ocra.ts';
export {
  type CardCell,
  cellDigits,
  checkAnswer,
  drawCells,
  expectedAnswer,
  newPasswordCardSecret,
  PASSWORD_CARD_LOW_USES,
  PASSWORD_CARD_USES,
  parseCardCell,
  passwordCardGrid,
  passwordCardRunningLow,
} from './password-card.ts';
export {
  newTotpSecret,
  SOFT_TOKEN,
  type TotpCheck,
  totpCode,
  totpEnrolmentUrl,
  totpTimeStep,
  verifyTotp,
} from './totp.ts';
export {
  finishHolderKeyRegistration,
  type HolderKey,
  type HolderKeyAttachment,
  holderHasKey,
  holderKeys,
  removeHolderKey,
  startHolderKeyRegistration,
} from './holder-keys.ts';
