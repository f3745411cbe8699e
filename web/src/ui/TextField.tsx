import { forwardRef, type InputHTMLAttributes } from 'react';
import { FieldFrame, type FieldFrameProps, splitFieldProps } from './FieldFrame';

export type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> &
  FieldFrameProps & {
    testId?: string;
  };

/** A labelled input with an optional hint and error, in the frame every field shares. */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField({ testId, ...props }, ref) {
  const [frame, input] = splitFieldProps(props);
  return (
    <FieldFrame {...frame}>{(control) => <input ref={ref} {...control} data-testid={testId} {...input} />}</FieldFrame>
  );
});
