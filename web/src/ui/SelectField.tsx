import { forwardRef, type ReactNode, type SelectHTMLAttributes } from 'react';
import { FieldFrame, type FieldFrameProps, splitFieldProps } from './FieldFrame';

export type SelectFieldProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'size'> &
  Omit<FieldFrameProps, 'trailing'> & {
    testId?: string;
    children: ReactNode;
  };

/** A labelled native select in the same frame as TextField, with the same label, hint and error. */
export const SelectField = forwardRef<HTMLSelectElement, SelectFieldProps>(function SelectField(
  { testId, children, ...props },
  ref,
) {
  const [frame, select] = splitFieldProps(props);
  return (
    <FieldFrame {...frame}>
      {(control) => (
        <select ref={ref} {...control} className="field__input field__select" data-testid={testId} {...select}>
          {children}
        </select>
      )}
    </FieldFrame>
  );
});
