# syntax=docker/dockerfile:1.7
# Production image: build with the full toolchain, run with production dependencies only, as the
# unprivileged `node` user. See README.md, "Deploying" and "Operations".
#
#   docker build --build-arg SITE_URL=https://todos.example.com \
#     --secret id=astro_key,env=ASTRO_KEY -t astro-todos .
#   docker run -p 4321:4321 -e DATABASE_URL=... -e AUTH_SECRET=... -e SITE_URL=... \
#     -e RESEND_API_KEY=... -e EMAIL_FROM=... astro-todos

# Node 24: the version the `node` dev dependency pins (package.json), which every npm script runs on
# outside the container. The runtime stage has no dev dependencies, so the image's own Node runs
# the server; keep the two majors equal (tests/unit/newcomer.test.ts checks).
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Every dependency (the build needs Astro's toolchain).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# 2. The build. SITE_URL is public (canonical URLs and the sitemap in prerendered pages). ASTRO_KEY
#    comes in as a build secret, not a build argument, so it stays out of the image history; give
#    every build that serves behind one load balancer the same key (see README, "Scaling out").
FROM deps AS build
ARG SITE_URL=http://localhost:4321
COPY . .
RUN --mount=type=secret,id=astro_key \
    if [ -s /run/secrets/astro_key ]; then export ASTRO_KEY="$(cat /run/secrets/astro_key)"; fi; \
    SITE_URL="$SITE_URL" npm run build

# 3. Production dependencies only (no Vite, no test tools).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 4. The runtime: the image's Node 24 runs dist/server/serve.mjs, the server compiled by the build
#    (src/build/server-entry.ts; JavaScript, so Node's type stripper is never loaded: 17 MiB less),
#    beside Astro's bundle; no source is copied. Code is owned by root and read-only to the app;
#    only the local-mode data directory is writable.
#    HOST=0.0.0.0 listens on the container's network, so the image needs DATABASE_URL (and
#    AUTH_SECRET, SITE_URL, a mail transport): started without it, it refuses to start (exit 1)
#    rather than run local mode (generated secret, dev mailbox) on the network. To try the image
#    in local mode anyway, add -e LOCAL_MODE_ON_NETWORK=1 (browse http://localhost:4321): the dev
#    mailbox is then off and sign-in links appear in `docker logs` only.
#    Requests are answered only for SITE_URL's host name (421 otherwise; /healthz and /readyz
#    answer any Host): a proxy in front must pass the public Host header through.
#    Memory (README, "Memory"): sized for a 256 MiB instance. NODE_OPTIONS caps V8's young
#    generation at 2 × 8 MiB and its old generation at 128 MiB (the live heap under load is ~30),
#    and jemalloc (Debian's libjemalloc2, preloaded; two arenas, freed pages returned within a
#    second) replaces glibc's malloc, which keeps tens of MiB of freed blocks after a burst.
#    Measured under the bench's signed-in load at 10 and 50 connections: peaks under 200 MiB.
#    Give the instance 256 MiB or more. On a bigger one, trade memory for speed by overriding
#      -e NODE_OPTIONS="--max-semi-space-size=16"
#    (peaks 350–470 MiB with it; /todos answers about a quarter more requests per second).
FROM ${NODE_IMAGE} AS runtime
# The same path on every architecture, so LD_PRELOAD can name it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/local/lib/libjemalloc.so.2
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4321 \
    NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128" \
    LD_PRELOAD=/usr/local/lib/libjemalloc.so.2 \
    MALLOC_CONF=narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY db ./db
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4321
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4321) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (graceful shutdown, up to SHUTDOWN_GRACE_MS).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/serve.mjs"]
