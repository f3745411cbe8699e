/** What other domains may use of security media. */
export { mediaErrors } from './errors.ts';
export { purgeOldSmsCodes } from './housekeeping.ts';
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
export { registerSmsMedium } from './register.ts';
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
