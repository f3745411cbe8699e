import { useTranslation } from 'react-i18next';

type Props = {
  /** The catalogue prefix of the steps' names, e.g. `register.steps`. */
  prefix: string;
  steps: readonly string[];
  current: number;
};

/** A wizard's steps as the customer sees them, the current one marked for assistive technology. */
export function WizardSteps({ prefix, steps, current }: Props) {
  const { t } = useTranslation('register');
  return (
    <ol className="wizard-steps" aria-label={t('progress')}>
      {steps.map((name, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li
            key={name}
            className={`wizard-steps__item wizard-steps__item--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="wizard-steps__number" aria-hidden="true">
              {index + 1}
            </span>
            <span>{t(`${prefix}.${name}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
