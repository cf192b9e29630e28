/**
 * Colours and icons for browsers and home screens: the theme-color meta (per colour scheme, the
 * header's --surface in global.css) and the web app manifest. The PNG icons in public/ were made
 * from public/favicon.svg (full-bleed square: iOS and Android mask the corners themselves).
 */
export const THEME_COLORS = { light: '#ffffff', dark: '#181b22' } as const;

/** Page background of the light theme (--bg): the splash screen of an installed app. */
export const BACKGROUND_COLOR = '#f6f7f9';

export const MANIFEST_ICONS = [
  { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
  { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
  { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
] as const;
