import type { TFunction } from 'i18next';
import { forwardRef, useImperativeHandle, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CardNumberField } from '../ui/CardNumberField';
import {
  digitsOf,
  isCardNumberShape,
  isCardPin,
  isLuhnValid,
  isMobileNumber,
  isResidentIdValid,
} from '../ui/identityNumbers';
import { PinField } from '../ui/PinField';
import { TextField } from '../ui/TextField';

/** What a customer types to prove they hold the card: the card, its PIN, and who they are. */
export type CardDetails = { cardNumber: string; cardPin: string; name: string; idNumber: string; mobile: string };
export type DetailErrors = Partial<Record<keyof CardDetails, string>>;

type Options = { withName?: boolean; withMobile?: boolean };

/** The format problems of the details, field by field (the bank's records are the server's to check). */
export function checkCardDetails(details: CardDetails, t: TFunction<'register'>, options: Options = {}): DetailErrors {
  const { withName = true, withMobile = false } = options;
  const errors: DetailErrors = {};
  if (!details.cardNumber) errors.cardNumber = t('fields.cardNumberMissing');
  else if (!isCardNumberShape(details.cardNumber)) errors.cardNumber = t('fields.cardNumberShape');
  else if (!isLuhnValid(details.cardNumber)) errors.cardNumber = t('fields.luhn');
  if (!isCardPin(details.cardPin)) errors.cardPin = t('fields.cardPinMissing');
  if (withName && !details.name.trim()) errors.name = t('fields.nameMissing');
  if (!details.idNumber.trim()) errors.idNumber = t('fields.idNumberMissing');
  else if (!isResidentIdValid(details.idNumber)) errors.idNumber = t('fields.idNumberInvalid');
  if (withMobile && !isMobileNumber(details.mobile)) errors.mobile = t('fields.mobileMissing');
  return errors;
}

type Props = Options & {
  details: CardDetails;
  onChange: (details: CardDetails) => void;
  errors: DetailErrors;
  size?: 'md' | 'lg';
  /** Prefix of the test ids: `<prefix>-card-number`, `-card-pin`, `-name`, `-id-number`, `-mobile`. */
  testIdPrefix: string;
};

/**
 * The card number (in groups of four, with its Luhn hint), the card PIN (never autocompleted), and as
 * the form needs them the name, the resident ID number and the mobile number.
 */
export const CardDetailsFields = forwardRef<{ focus: (field: keyof CardDetails) => void }, Props>(
  function CardDetailsFields(
    { details, onChange, errors, withName = true, withMobile = false, size, testIdPrefix },
    ref,
  ) {
    const { t } = useTranslation('register');
    const refs = {
      cardNumber: useRef<HTMLInputElement>(null),
      cardPin: useRef<HTMLInputElement>(null),
      name: useRef<HTMLInputElement>(null),
      idNumber: useRef<HTMLInputElement>(null),
      mobile: useRef<HTMLInputElement>(null),
    };
    useImperativeHandle(ref, () => ({ focus: (field) => refs[field].current?.focus() }));
    const set = (field: keyof CardDetails) => (value: string) => onChange({ ...details, [field]: value });

    return (
      <>
        <CardNumberField
          ref={refs.cardNumber}
          label={t('fields.cardNumber')}
          hint={t('fields.cardNumberHint')}
          luhnHint={t('fields.luhn')}
          value={details.cardNumber}
          onChange={set('cardNumber')}
          error={errors.cardNumber}
          size={size}
          required
          testId={`${testIdPrefix}-card-number`}
        />
        <PinField
          ref={refs.cardPin}
          label={t('fields.cardPin')}
          hint={t('fields.cardPinHint')}
          value={details.cardPin}
          onChange={set('cardPin')}
          error={errors.cardPin}
          size={size}
          required
          testId={`${testIdPrefix}-card-pin`}
        />
        {withName && (
          <TextField
            ref={refs.name}
            label={t('fields.name')}
            hint={t('fields.nameHint')}
            value={details.name}
            onChange={(event) => set('name')(event.target.value)}
            error={errors.name}
            size={size}
            autoComplete="name"
            maxLength={50}
            required
            testId={`${testIdPrefix}-name`}
          />
        )}
        <TextField
          ref={refs.idNumber}
          label={t('fields.idNumber')}
          hint={t('fields.idNumberHint')}
          value={details.idNumber}
          onChange={(event) =>
            set('idNumber')(
              event.target.value
                .replace(/[^\dXx]/g, '')
                .toUpperCase()
                .slice(0, 18),
            )
          }
          error={errors.idNumber}
          size={size}
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          maxLength={18}
          className="tabular"
          required
          testId={`${testIdPrefix}-id-number`}
        />
        {withMobile && (
          <TextField
            ref={refs.mobile}
            label={t('fields.mobile')}
            hint={t('fields.mobileHint')}
            value={details.mobile}
            onChange={(event) => set('mobile')(digitsOf(event.target.value).slice(0, 11))}
            error={errors.mobile}
            size={size}
            type="tel"
            inputMode="numeric"
            autoComplete="tel-national"
            maxLength={11}
            className="tabular"
            required
            testId={`${testIdPrefix}-mobile`}
          />
        )}
      </>
    );
  },
);
