import { useTranslation } from 'react-i18next';

const STEPS = ['fill', 'confirm', 'done'] as const;

/** The three steps of a transfer as the customer sees them, the current one marked for assistive technology. */
export function Stepper({ current }: { current: 0 | 1 | 2 }) {
  const { t } = useTranslation('banking');
  return (
    <ol className="stepper" aria-label={t('transfer.progress')}>
      {STEPS.map((name, index) => {
        const here = index === current;
        return (
          <li
            key={name}
            className={here ? 'stepper__item stepper__item--current' : 'stepper__item'}
            aria-current={here ? 'step' : undefined}
          >
            <span className="stepper__number" aria-hidden="true">
              {index + 1}
            </span>
            {t(`transfer.steps.${name}`)}
          </li>
        );
      })}
    </ol>
  );
}
