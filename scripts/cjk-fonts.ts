import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Chinese pages need a CJK font in Chromium for screenshots (ARCHITECTURE.md §5: the machine has none).
 * Copies the Noto Sans SC faces that `@embedpdf/fonts-sc` ships into ~/.local/share/fonts once and
 * refreshes fontconfig's cache; a machine with `fonts-noto-cjk` installed needs nothing.
 */
export function ensureCjkFonts(): void {
  const list = (() => {
    try {
      return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
    } catch {
      return '';
    }
  })();
  if (list.trim() !== '') return;
  const source = join(import.meta.dirname, '..', 'node_modules', '@embedpdf', 'fonts-sc', 'fonts');
  if (!existsSync(source)) throw new Error('no CJK font: apt-get install -y fonts-noto-cjk, or npm install');
  const target = join(homedir(), '.local', 'share', 'fonts');
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(source)) {
    if (file.endsWith('.otf')) copyFileSync(join(source, file), join(target, file));
  }
  execFileSync('fc-cache', ['-f', target]);
}
