import type { useStepFocus } from './useStepFocus';

export type HeadingRef = ReturnType<typeof useStepFocus>;

/** A wizard step's title (focused when the step begins) and its one-line lead. */
export function StepHead({ headingRef, title, lead }: { headingRef: HeadingRef; title: string; lead?: string }) {
  return (
    <div className="step__head">
      <h2 id="wizard-step-title" className="step__title" ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {lead && <p className="step__lead">{lead}</p>}
    </div>
  );
}
