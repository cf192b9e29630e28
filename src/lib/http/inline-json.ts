/**
 * JSON for a `<script type="application/json">` element: `<` is written as `\u003c`, so no value
 * can close the element (`</script>`) or open a comment (`<!--`); JSON.parse reads it back as is.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
