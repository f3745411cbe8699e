import type { TFunction } from 'i18next';
import type { CustomerDetail } from '../counterApi';

/** What the teller typed, by field name; every operation form keeps its values as strings. */
export type Values = Record<string, string>;

/** One field of an operation form. */
export type FieldSpec = {
  name: string;
  label: string;
  /** `pin`: digits keyed by the customer, never shown; `amount`: yuan, shown in capitals as typed. */
  kind?: 'text' | 'digits' | 'pin' | 'amount' | 'select';
  options?: ReadonlyArray<{ value: string; label: string }>;
  hint?: string;
  maxLength?: number;
  /** The customer keys this value themselves (card PIN, initial password): marked, and never echoed. */
  keyedByCustomer?: boolean;
  /** An error message for the value, or undefined when it is acceptable. */
  check?: (value: string, values: Values) => string | undefined;
  /** Shown (and checked) only when this answers true. */
  shown?: (values: Values) => boolean;
};

/** One line of the confirmation or the result: a text, or an amount in figures and Chinese capitals. */
export type SummaryRow = { label: string; value?: string; amount?: string; testId?: string; large?: boolean };

/** What a completed operation shows beyond "done". */
export type Outcome = {
  rows?: SummaryRow[];
  /** A value shown once in large type (the temporary password), with the note to give it in person. */
  secret?: { label: string; value: string; note: string };
  /** A new password card to print. */
  cardMediumId?: string;
  /** A customer the console should open next (a new registration). */
  openCustomerId?: string;
};

/** One counter operation as data: its fields, its confirmation, the call, and what the result shows. */
export type OperationSpec = {
  fields: FieldSpec[];
  initial: Values;
  /** A note under the form for the values typed so far (an amount that will need approval). */
  note?: (values: Values) => string | undefined;
  summary: (values: Values) => SummaryRow[];
  /** Sends the operation; `idempotencyKey` is fresh for each submission and reused by its retry. */
  submit: (values: Values, idempotencyKey: string) => Promise<unknown>;
  outcome?: (answer: unknown, values: Values) => Outcome;
  /** What the shift's journal calls this submission (deposit or withdrawal, freeze or close…). */
  title?: (values: Values) => string;
  /** The amount for the shift's journal, when the operation moves money. */
  amount?: (values: Values) => string | undefined;
};

/** What a spec is built from: the customer on screen (if any), and the words. */
export type SpecContext = { customer: CustomerDetail | undefined; t: TFunction<'counter'>; preset: Values };
