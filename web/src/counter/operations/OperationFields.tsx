import type { FormEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../ui/Button';
import { toChineseCapitals } from '../../ui/money';
import { SelectField } from '../../ui/SelectField';
import { TextField } from '../../ui/TextField';
import { amountOf, fenOf } from './checks';
import type { FieldSpec, Values } from './types';

type Props = {
  operation: string;
  fields: FieldSpec[];
  values: Values;
  errors: Record<string, string>;
  note?: string;
  onChange: (name: string, value: string) => void;
  onSubmit: () => void;
  onCancel: () => void;
};

/** The fields a spec names, shown ones only. */
export function visibleFields(fields: FieldSpec[], values: Values): FieldSpec[] {
  return fields.filter((field) => !field.shown || field.shown(values));
}

/** Checks the visible fields; the messages by field name (empty when all is well). */
export function checkFields(fields: FieldSpec[], values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of visibleFields(fields, values)) {
    const message = field.check?.(values[field.name] ?? '', values);
    if (message) errors[field.name] = message;
  }
  return errors;
}

function Field({
  field,
  value,
  error,
  first,
  testId,
  onChange,
}: {
  field: FieldSpec;
  value: string;
  error?: string;
  first: boolean;
  testId: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('counter');
  const common = { label: field.label, error, required: Boolean(field.check), autoFocus: first, testId };
  if (field.kind === 'select') {
    return (
      <SelectField {...common} value={value} onChange={(event) => onChange(event.target.value)}>
        {(field.options ?? []).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </SelectField>
    );
  }
  const digits = field.kind === 'digits' || field.kind === 'pin';
  const hint =
    field.kind === 'amount' && fenOf(value) > 0 ? (
      <span className="c-capitals" data-testid={`${testId}-capitals`}>
        {t('form.amountCapitals')}: {toChineseCapitals(amountOf(value))}
      </span>
    ) : field.keyedByCustomer ? (
      <span className="c-keyed">
        {t('form.keyedByCustomer')}
        {field.hint ? ` · ${field.hint}` : ''}
      </span>
    ) : (
      field.hint
    );
  return (
    <TextField
      {...common}
      className={field.kind === 'amount' ? 'c-field--amount' : field.kind === 'pin' ? 'c-field--pin' : undefined}
      value={value}
      hint={hint}
      type={field.kind === 'pin' ? 'password' : 'text'}
      inputMode={digits ? 'numeric' : field.kind === 'amount' ? 'decimal' : undefined}
      autoComplete="off"
      spellCheck={false}
      maxLength={field.maxLength}
      onChange={(event) => onChange(digits ? event.target.value.replace(/\D/g, '') : event.target.value)}
    />
  );
}

/**
 * An operation's form: focus on the first field, Enter goes on to the confirmation, Esc cancels. Values a
 * customer keys (PINs) are password inputs that never appear again on screen.
 */
export function OperationFields({ operation, fields, values, errors, note, onChange, onSubmit, onCancel }: Props) {
  const { t } = useTranslation('counter');
  const shown = visibleFields(fields, values);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit();
  }
  function onKeyDown(event: KeyboardEvent) {
    // A select does not submit its form on Enter as an input does; at the counter it should.
    if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      event.preventDefault();
      onSubmit();
      return;
    }
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  }
  return (
    <form className="c-opform" onSubmit={submit} onKeyDown={onKeyDown} noValidate data-testid={`op-form-${operation}`}>
      <div className="c-opform__fields">
        {shown.map((field, index) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name] ?? ''}
            error={errors[field.name]}
            first={index === 0}
            testId={`op-${field.name}`}
            onChange={(value) => onChange(field.name, value)}
          />
        ))}
      </div>
      {note && (
        <p className="c-note" role="status">
          {note}
        </p>
      )}
      <div className="c-actions">
        <Button variant="secondary" size="sm" onClick={onCancel} data-testid="op-cancel">
          {t('form.cancel')} <kbd>Esc</kbd>
        </Button>
        <Button type="submit" size="sm" autoFocus={shown.length === 0} data-testid="op-next">
          {t('form.next')} <kbd>Enter</kbd>
        </Button>
      </div>
    </form>
  );
}
