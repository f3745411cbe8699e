type Props = {
  size?: number;
  /** `tile`: the red vault door with the gold coin (default). `coin`: the coin alone, for red grounds. */
  variant?: 'tile' | 'coin';
  /** Accessible name; omit when the mark sits beside the written name and is only decoration. */
  title?: string;
  className?: string;
};

const RED = '#B3261E';
const RED_DEEP = '#8E1B15';
const GOLD = '#C9A227';

/**
 * Jinku's mark: a vault door (the rounded tile with four locking bolts) holding a square-holed coin.
 * Drawn on a 48-unit grid from circles and squares only, so it stays crisp from 16 px to 512 px.
 */
export function BrandMark({ size = 40, variant = 'tile', title, className }: Props) {
  const labelled = title !== undefined;
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 48 48"
      role={labelled ? 'img' : undefined}
      aria-label={labelled ? title : undefined}
      aria-hidden={labelled ? undefined : true}
      focusable="false"
    >
      {variant === 'tile' && <rect x="1" y="1" width="46" height="46" rx="11" fill={RED} />}
      {variant === 'tile' && (
        <rect x="4.5" y="4.5" width="39" height="39" rx="8" fill="none" stroke={RED_DEEP} strokeWidth="1.5" />
      )}
      <g fill={GOLD}>
        <rect x="22" y="6.5" width="4" height="4" rx="1" />
        <rect x="22" y="37.5" width="4" height="4" rx="1" />
        <rect x="6.5" y="22" width="4" height="4" rx="1" />
        <rect x="37.5" y="22" width="4" height="4" rx="1" />
        <circle cx="24" cy="24" r="11.5" />
      </g>
      <circle cx="24" cy="24" r="9" fill="none" stroke={variant === 'tile' ? RED : RED_DEEP} strokeWidth="1.25" />
      <rect x="20" y="20" width="8" height="8" rx="0.75" fill={variant === 'tile' ? RED : RED_DEEP} />
    </svg>
  );
}
