type Props = { cells: string[] };

const COLUMNS = 'ABCDEFGH';
// The bank's card: columns A–H, rows 1–10 (server/src/media/password-card.ts).
const ROWS = 10;
const ROW_NUMBERS = Array.from({ length: ROWS }, (_, r) => r + 1);
const CELLS = ROW_NUMBERS.flatMap((number) =>
  [...COLUMNS].map((letter, column) => ({ name: `${letter}${number}`, column, row: number - 1 })),
);

/** Parses a cell name such as "B7" or "A10" into a column and row index on the 8×10 card, or undefined. */
function position(cell: string): { column: number; row: number } | undefined {
  const match = /^([A-Za-z])(\d{1,2})$/.exec(cell.trim());
  if (!match) return undefined;
  const column = COLUMNS.indexOf(match[1]!.toUpperCase());
  const row = Number(match[2]) - 1;
  if (column < 0 || row < 0 || row >= ROWS) return undefined;
  return { column, row };
}

/**
 * A small drawing of the password card with the asked cells marked, so the customer sees where on the
 * card to look (DESIGN.md, "Challenges"). Decorative: the cell names are also given as text.
 */
export function PasswordCardGrid({ cells }: Props) {
  const size = 12;
  const origin = 14;
  const marked = cells.map(position).filter((p): p is { column: number; row: number } => p !== undefined);
  return (
    <svg
      className="pcard-grid"
      viewBox={`0 0 ${origin + COLUMNS.length * size + 2} ${origin + ROWS * size + 2}`}
      width="124"
      height="124"
      aria-hidden="true"
      focusable="false"
    >
      {[...COLUMNS].map((letter, i) => (
        <text key={letter} x={origin + i * size + size / 2} y={10} textAnchor="middle" className="pcard-grid__label">
          {letter}
        </text>
      ))}
      {ROW_NUMBERS.map((number) => (
        <text
          key={number}
          x={6}
          y={origin + (number - 1) * size + size / 2 + 3}
          textAnchor="middle"
          className="pcard-grid__label"
        >
          {number}
        </text>
      ))}
      {CELLS.map(({ name, column, row }) => {
        const hit = marked.some((m) => m.column === column && m.row === row);
        return (
          <rect
            key={name}
            x={origin + column * size + 1}
            y={origin + row * size + 1}
            width={size - 2}
            height={size - 2}
            rx="1.5"
            className={hit ? 'pcard-grid__cell pcard-grid__cell--hit' : 'pcard-grid__cell'}
          />
        );
      })}
    </svg>
  );
}
