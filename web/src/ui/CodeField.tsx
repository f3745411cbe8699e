import { forwardRef } from 'react';
import { TextField, type TextFieldProps } from './TextField';

export type CodeFieldProps = Omit<TextFieldProps, 'value' | 'onChange' | 'type' | 'inputMode' | 'autoComplete'> & {
  value: string;
  onChange: (code: string) => void;
  /** A code sent to the customer (SMS): lets the phone or the browser offer it from the message. */
  oneTimeCode?: boolean;
  /** Keeps digits only (a TOTP); otherwise only the spaces people type between groups are dropped. */
  digitsOnly?: boolean;
};

/**
 * The one field for typed codes: SMS and OTP codes, password-card digits, e-token answers. Numeric
 * keyboard, no autocorrection, large spaced digits, and the code kept as the customer means it.
 */
export const CodeField = forwardRef<HTMLInputElement, CodeFieldProps>(function CodeField(
  { value, onChange, oneTimeCode = false, digitsOnly = false, maxLength = 12, className, ...rest },
  ref,
) {
  return (
    <TextField
      ref={ref}
      {...rest}
      value={value}
      onChange={(event) => onChange(event.target.value.replace(digitsOnly ? /\D/g : /\s+/g, '').slice(0, maxLength))}
      inputMode="numeric"
      autoComplete={oneTimeCode ? 'one-time-code' : 'off'}
      autoCorrect="off"
      spellCheck={false}
      maxLength={maxLength}
      className={className ? `code-field ${className}` : 'code-field'}
    />
  );
});
