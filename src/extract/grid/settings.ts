// Settings objects are plain records of named numbers with defaults. A key the defaults do not
// know is a typo that would otherwise silently change nothing, so it is an error.

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function resolveSettings<T extends object>(what: string, defaults: Readonly<T>, given: Partial<T> | undefined): T {
  const out = { ...defaults } as T;
  if (!given) return out;
  for (const [key, value] of Object.entries(given)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      throw new SettingsError(`unknown ${what} setting "${key}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (value === undefined) continue;
    const def = (defaults as Record<string, unknown>)[key];
    if (typeof def === 'number' && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
      throw new SettingsError(`${what} setting "${key}" must be a finite number ≥ 0, got ${String(value)}`);
    }
    (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
