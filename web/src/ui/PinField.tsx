import { forwardRef } from 'react';
import { TextField, type TextFieldProps } from './TextField';

type Props = Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'autoComplete'> & {
  value: string;
  onChange: (pin: string) => void;
};

/**
 * A bank card's six-digit PIN: hidden, numeric keyboard, digits only, and never stored or offered by the
 * browser or a password manager (a card PIN is not a web password).
 */
export const PinField = forwardRef<HTMLInputElement, Props>(function PinField({ value, onChange, ...rest }, ref) {
  return (
    <TextField
      ref={ref}
      {...rest}
      value={value}
      onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      autoCorrect="off"
      spellCheck={false}
      maxLength={6}
      data-lpignore="true"
      data-1p-ignore="true"
      data-form-type="other"
      className={['tabular', 'pin-field', rest.className].filter(Boolean).join(' ')}
    />
  );
});
