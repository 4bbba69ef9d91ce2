// Public to the rest of src: the structured logger every layer writes to. A leaf (no imports), so the adapter, the
// error formatter, the plugins and the composition root share one type without any of them owning it.

/** Structured logger. Fields never contain credentials or tokens: whoever logs redacts first (the adapter does). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
