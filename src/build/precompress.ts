/**
 * Build step: writes `file.br` and `file.gz` next to every compressible file of the client build,
 * at the highest levels (done once at build time, so every request gets the smallest bytes without
 * spending CPU). A variant that would not be smaller is not written. Runs as an Astro integration
 * (`astro:build:done`), so every `astro build` produces them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { isCompressibleFile } from '#server/content-encoding.ts';

/** Smaller than this, the compressed bytes and the extra header gain nothing. */
const MIN_BYTES = 256;

/** Every file under `dir` (the client build), depth first. */
export function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Precompresses every compressible file under `dir`; returns how many variants were written. */
export function precompressDirectory(dir: string): number {
  let written = 0;
  for (const file of filesUnder(dir)) {
    if (!isCompressibleFile(file)) continue;
    const bytes = readFileSync(file);
    if (bytes.length < MIN_BYTES) continue;
    const br = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
    for (const [suffix, variant] of [
      ['.br', br],
      ['.gz', gz],
    ] as const) {
      if (variant.length >= bytes.length) continue;
      writeFileSync(file + suffix, variant);
      written++;
    }
  }
  return written;
}

/** The Astro integration: precompresses the client output once the build is done. */
export function precompress(): AstroIntegration {
  let clientDir: URL | undefined;
  return {
    name: 'precompress',
    hooks: {
      // With `output: 'server'` the browser's files are in build.client, not in the outDir.
      'astro:config:done': ({ config }) => {
        clientDir = config.build.client;
      },
      'astro:build:done': ({ logger }) => {
        if (!clientDir) return;
        const written = precompressDirectory(fileURLToPath(clientDir));
        logger.info(`wrote ${written} precompressed files (.br, .gz)`);
      },
    },
  };
}
