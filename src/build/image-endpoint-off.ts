/**
 * Every image the site shows is transformed at build time (prerendered pages), so the production
 * build's on-demand `/_image` endpoint only serves strangers' transforms (CPU per request): it is
 * replaced by one that answers 404 (image-endpoint-404.ts). `astro dev` keeps Astro's endpoint,
 * which serves every image there.
 */
import type { AstroIntegration } from 'astro';

export function imageEndpointOff(): AstroIntegration {
  return {
    name: 'image-endpoint-off',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command === 'build')
          updateConfig({ image: { endpoint: { entrypoint: './src/build/image-endpoint-404.ts' } } });
      },
    },
  };
}
