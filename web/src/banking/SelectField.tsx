import { type ReactNode, type SelectHTMLAttributes, useId } from 'react';
import { ErrorIcon } from '../ui/icons';

type Props = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  hint?: ReactNode;
  error?: string;
  testId?: string;
  children: ReactNode;
};

/** A labelled native select in the same frame as TextField (hint and error tied with aria-describedby). */
export function SelectField({ label, hint, error, testId, id, className, children, ...rest }: Props) {
  const autoId = useId();
  const selectId = id ?? `s${autoId}`;
  const hintId = hint ? `${selectId}-hint` : undefined;
  const errorId = error ? `${selectId}-error` : undefined;
  return (
    <div className={['field', 'field--md', error && 'field--invalid', className].filter(Boolean).join(' ')}>
      <label htmlFor={selectId} className="field__label">
        {label}
      </label>
      <div className="field__control">
        <select
          id={selectId}
          className="field__input field__select"
          aria-invalid={error ? true : undefined}
          aria-describedby={[errorId, hintId].filter(Boolean).join(' ') || undefined}
          data-testid={testId}
          {...rest}
        >
          {children}
        </select>
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
