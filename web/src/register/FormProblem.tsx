import { ApiError } from '../api/ApiError';
import { Alert } from '../ui/Alert';
import { ProblemAlert, useProblemText } from '../ui/ProblemAlert';

type Props = { error: unknown; testId: string; message?: string };

/**
 * A refused request, sized to what happened (DESIGN.md, "Errors"): a refusal the customer can act on is
 * its message alone (or `message`, when the page words it itself); a fault of the bank or the network
 * also shows the reference and the hotline.
 */
export function FormProblem({ error, testId, message }: Props) {
  const text = useProblemText();
  const fault = !(error instanceof ApiError) || error.isClientSide || error.status >= 500;
  if (fault) return <ProblemAlert error={error} testId={testId} />;
  return (
    <Alert tone="error" testId={testId}>
      {message ?? text(error)}
    </Alert>
  );
}
