/**
 * "about 12 minutes": how long until a limit lets the person try again, in words. Browser-safe
 * (the check-email countdown uses it too). Intl picks the unit's singular or plural form.
 */

const unit = (name: 'second' | 'minute' | 'hour', value: number) =>
  new Intl.NumberFormat('en', { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);

/** `seconds` as "45 seconds", "60 seconds", "about 1 minute", "about 12 minutes", "about 2 hours". */
export function waitPhrase(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s <= 60) return unit('second', s);
  const minutes = Math.round(s / 60);
  if (minutes < 90) return `about ${unit('minute', minutes)}`;
  return `about ${unit('hour', Math.round(minutes / 60))}`;
}
