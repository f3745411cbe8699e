import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorIcon } from './icons';

/** What the frame hands to its control: the id its label points at and the accessibility attributes. */
export type FieldControlProps = {
  id: string;
  className: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  'aria-required': true | undefined;
};

export type FieldFrameProps = {
  label: string;
  hint?: ReactNode;
  error?: string;
  /** Renders a visually hidden label (for dense layouts where a visible caption sits elsewhere). */
  hideLabel?: boolean;
  required?: boolean;
  size?: 'md' | 'lg';
  id?: string;
  className?: string;
  /** Controls drawn inside the field's right edge (show password, captcha image). */
  trailing?: ReactNode;
};

/**
 * The frame every form field shares (TextField, SelectField): a real `<label>`, the hint and the error
 * tied to the control with aria-describedby, and an error that carries an icon, not colour alone.
 */
export function FieldFrame({
  label,
  hint,
  error,
  hideLabel,
  required,
  size = 'md',
  id,
  className,
  trailing,
  children,
}: FieldFrameProps & { children: (control: FieldControlProps) => ReactNode }) {
  const { t } = useTranslation();
  const autoId = useId();
  const controlId = id ?? `f${autoId}`;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const control: FieldControlProps = {
    id: controlId,
    className: 'field__input',
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [errorId, hintId].filter(Boolean).join(' ') || undefined,
    'aria-required': required || undefined,
  };
  return (
    <div className={['field', `field--${size}`, error && 'field--invalid', className].filter(Boolean).join(' ')}>
      <label htmlFor={controlId} className={hideLabel ? 'field__label visually-hidden' : 'field__label'}>
        {label}
        {required && <span className="visually-hidden"> ({t('field.required')})</span>}
      </label>
      <div className="field__control">
        {children(control)}
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
}

/** Separates a field's frame props from the props of its control (input, select). */
export function splitFieldProps<P extends FieldFrameProps>(
  props: P,
): [FieldFrameProps, Omit<P, keyof FieldFrameProps>] {
  const { label, hint, error, hideLabel, required, size, id, className, trailing, ...control } = props;
  return [{ label, hint, error, hideLabel, required, size, id, className, trailing }, control];
}
