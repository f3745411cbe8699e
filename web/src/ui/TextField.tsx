import { forwardRef, type InputHTMLAttributes, type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorIcon } from './icons';

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> & {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Controls drawn inside the field's right edge (show password, captcha image). */
  trailing?: ReactNode;
  /** Renders a visually hidden label (for dense layouts where a visible caption sits elsewhere). */
  hideLabel?: boolean;
  size?: 'md' | 'lg';
  testId?: string;
};

/**
 * A labelled input with an optional hint and error. The label is always a real `<label>`, the hint and
 * the error are tied to the input with aria-describedby, and the error carries an icon, not colour alone.
 */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hint, error, trailing, hideLabel, size = 'md', testId, id, className, required, ...rest },
  ref,
) {
  const { t } = useTranslation();
  const autoId = useId();
  const inputId = id ?? `f${autoId}`;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', `field--${size}`, error && 'field--invalid', className].filter(Boolean).join(' ')}>
      <label htmlFor={inputId} className={hideLabel ? 'field__label visually-hidden' : 'field__label'}>
        {label}
        {required && <span className="visually-hidden"> ({t('field.required')})</span>}
      </label>
      <div className="field__control">
        <input
          ref={ref}
          id={inputId}
          className="field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          aria-required={required || undefined}
          data-testid={testId}
          {...rest}
        />
        {trailing && <div className="field__trailing">{trailing}</div>}
      </div>
      {error && (
        <p id={errorId} className="field__error">
          <ErrorIcon size={16} />
          <span>{error}</span>
        </p>
      )}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
});
