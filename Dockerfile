# syntax=docker/dockerfile:1
#
# Bazaar Inventory sync server (+ the built PWA it serves) and the event workers.
#
# NOTE: this image has NOT been built or run as written: the machine it was written on
# has no Docker engine. The runtime command (`node --import tsx src/main.ts`
# from sync-server/) was checked outside a container; build it once before relying on it:
#   docker build -t <registry>/bazaar/sync-server:<tag> .
#
# The server runs its TypeScript through tsx (a runtime dependency of
# sync-server), so there is no compile step; tsx keeps its cache in /tmp,
# which must be writable (the Kubernetes manifests mount an emptyDir there and
# keep the rest of the filesystem read-only).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every dependency, then the PWA (when the web workspace exists) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# The whole context (see .dockerignore): npm ci needs every workspace's
# package.json, and which workspaces exist is still changing.
COPY . .
# Node 20 images ship npm 10, which runs dependency install scripts (esbuild's)
# without the allowScripts list npm 11 reads.
RUN npm ci
# `npm run -w web` fails when there is no web workspace at all; --if-present
# only covers a missing script.
RUN if [ -f web/package.json ]; then npm run build -w web --if-present; fi \
 && mkdir -p web/dist
# Keep production dependencies only (tsx is one: the server runs on it).
RUN npm prune --omit=dev

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    WEB_DIST=/app/web/dist
WORKDIR /app
# Owned by root and not writable by the app user.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/shared ./shared
COPY --from=build /app/sync-server ./sync-server
COPY --from=build /app/web/dist ./web/dist
# The workers: the server runs them in process when no Kafka is configured, and
# the worker Deployments run them from this image (workingDir /app/workers).
COPY --from=build /app/workers ./workers

# The node image's unprivileged user (uid/gid 1000).
USER node
WORKDIR /app/sync-server
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node directly (not npm): signals reach the server, which drains on SIGTERM,
# and nothing tries to write npm logs to a read-only filesystem.
# Migrations as a one-off: node --import tsx src/db/migrate-cli.ts
CMD ["node", "--import", "tsx", "src/main.ts"]
