type Props = { size?: number; label?: string };

const Ring = ({ size }: { size: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
    <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
  </svg>
);

/** A small turning ring. With a `label` it announces itself as a status; without one it is decoration. */
export function Spinner({ size = 18, label }: Props) {
  if (!label) {
    return (
      <span className="spinner">
        <Ring size={size} />
      </span>
    );
  }
  return (
    <span className="spinner" role="status">
      <Ring size={size} />
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
