import { forwardRef, type ReactNode } from 'react';
import { groupCardNumber } from './cardNumber';
import { digitsOf, isCardNumberShape, isLuhnValid } from './identityNumbers';
import { TextField, type TextFieldProps } from './TextField';

type Props = Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'hint'> & {
  /** The digits only; the field shows them in groups of four. */
  value: string;
  onChange: (digits: string) => void;
  hint?: ReactNode;
  /** Said under the field once the number is long enough and its check digit does not fit (a typo). */
  luhnHint: string;
};

/**
 * A bank card number typed in groups of four, as printed on the card, with a hint when the Luhn check
 * digit says a digit is wrong. The value is the digits alone.
 */
export const CardNumberField = forwardRef<HTMLInputElement, Props>(function CardNumberField(
  { value, onChange, hint, luhnHint, ...rest },
  ref,
) {
  // Said once: as the hint while typing, or as the error once the form refused it.
  const suspicious = isCardNumberShape(value) && !isLuhnValid(value) && !rest.error;
  return (
    <TextField
      ref={ref}
      {...rest}
      value={groupCardNumber(value)}
      onChange={(event) => onChange(digitsOf(event.target.value).slice(0, 19))}
      inputMode="numeric"
      autoComplete="off"
      autoCorrect="off"
      spellCheck={false}
      maxLength={23}
      className={['tabular', 'card-number-field', rest.className].filter(Boolean).join(' ')}
      hint={
        suspicious ? (
          <span className="card-number-field__luhn" role="status" data-testid={`${rest.testId ?? 'card'}-luhn`}>
            {luhnHint}
          </span>
        ) : (
          hint
        )
      }
    />
  );
});
