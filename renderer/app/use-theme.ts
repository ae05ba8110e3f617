import { useEffect } from 'react';
import type { Theme } from '../../shared/models/settings';

/** Applies the theme setting: `system` follows the OS (prefers-color-scheme) live. */
export function useTheme(theme: Theme | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (!theme || theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
  }, [theme]);
}
